package dev.runbook.engine.store;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Run trails as lines: each line exactly the bytes {@code AuditLog} writes to a run's {@code
 * events.jsonl} (without the newline), so the same hash chain, signatures and verifier hold
 * whichever store keeps them.
 *
 * <p>Implementations are thread-safe.
 */
public interface TrailStore {

  /**
   * Appends line {@code seq} (1 for the first) of a run's trail, durably.
   *
   * @param fence the lease the writer holds for this run, checked in the same transaction as the
   *     write; null only in the directory store, where the kernel's lock on the run is the fence
   * @throws FencedException when {@code fence} is no longer current
   * @throws IOException when the line is not the next one (a second writer) or cannot be stored
   */
  void append(String runId, long seq, byte[] line, Lease fence) throws IOException;

  /** Stores the run's head ({@code events.head}'s bytes): what was synced and signed. */
  void putHead(String runId, byte[] head, Lease fence) throws IOException;

  /**
   * Stores a file of the run that a line names by its hash (a step's whole output, {@code
   * outputs/STEP.log}), so the trail verifies wherever it is read.
   *
   * @param name the path relative to the run ({@code outputs/check.log})
   */
  void putFile(String runId, String name, byte[] content, Lease fence) throws IOException;

  /**
   * Appends lines {@code firstSeq}, {@code firstSeq + 1}, … with the files they name and the head
   * that follows them. A store that can (a database) makes it one transaction, so a reader never
   * sees lines without their files or head; by default one write after another, files first.
   */
  default void appendAll(
      String runId,
      long firstSeq,
      List<byte[]> lines,
      Map<String, byte[]> files,
      byte[] head,
      Lease fence)
      throws IOException {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      putFile(runId, file.getKey(), file.getValue(), fence);
    }
    long seq = firstSeq;
    for (byte[] line : lines) {
      append(runId, seq++, line, fence);
    }
    if (head != null) {
      putHead(runId, head, fence);
    }
  }

  /** How many lines of the run the store has (0 when none). */
  default long lineCount(String runId) throws IOException {
    return lines(runId).size();
  }

  /** The run's lines in order (empty when no such run). */
  List<byte[]> lines(String runId) throws IOException;

  /** The run's head, or null when none was stored. */
  byte[] head(String runId) throws IOException;

  /** The names of the run's stored files ({@link #putFile}), sorted. */
  List<String> fileNames(String runId) throws IOException;

  /** A stored file of the run, or null when there is none of that name. */
  byte[] file(String runId, String name) throws IOException;

  /** Every run id in the store, oldest first. */
  List<String> runIds() throws IOException;
}
