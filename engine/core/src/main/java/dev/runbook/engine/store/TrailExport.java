package dev.runbook.engine.store;

import java.io.IOException;

/**
 * Copies a run's trail from one store to another, byte for byte: a trail kept in a database written
 * out in the directory format ({@code audit export}), which the same verifier then checks.
 */
public final class TrailExport {

  private TrailExport() {}

  /**
   * Copies every line, file and the head of one run.
   *
   * @return how many lines were copied
   * @throws IOException when the target already has lines of that run
   */
  public static int copy(TrailStore from, String runId, TrailStore to) throws IOException {
    if (!to.lines(runId).isEmpty()) {
      throw new IOException("run " + runId + " is already in the target; nothing was copied");
    }
    for (String name : from.fileNames(runId)) {
      to.putFile(runId, name, from.file(runId, name), null);
    }
    long seq = 0;
    for (byte[] line : from.lines(runId)) {
      to.append(runId, ++seq, line, null);
    }
    byte[] head = from.head(runId);
    if (head != null) {
      to.putHead(runId, head, null);
    }
    return (int) seq;
  }
}
