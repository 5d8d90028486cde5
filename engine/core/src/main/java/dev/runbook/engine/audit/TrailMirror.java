package dev.runbook.engine.audit;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A second copy of a run's trail kept elsewhere (a shared store's trail rows), written as the run
 * goes: {@link AuditLog} hands it every line, byte for byte, at each durable event (before the run
 * goes on, so a step that must not run twice is in the copy before it starts), with the files the
 * lines name and the head. Another server can then resume the run from the copy alone.
 */
public interface TrailMirror {

  /** How many lines of the run the copy has (0 when none). */
  long lines(String runId) throws IOException;

  /**
   * Adds lines {@code firstSeq}, {@code firstSeq + 1}, … durably, with the files they name and the
   * head after them.
   *
   * @throws IOException when the copy refuses them (a lease taken over: the run must stop writing)
   *     or cannot be reached in time
   */
  void write(
      String runId, long firstSeq, List<byte[]> lines, Map<String, byte[]> files, byte[] head)
      throws IOException;
}
