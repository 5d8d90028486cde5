package dev.runbook.engine.store;

import java.io.IOException;
import java.util.List;

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

  /** The run's lines in order (empty when no such run). */
  List<byte[]> lines(String runId) throws IOException;

  /** The run's head, or null when none was stored. */
  byte[] head(String runId) throws IOException;

  /** Every run id in the store, oldest first. */
  List<String> runIds() throws IOException;
}
