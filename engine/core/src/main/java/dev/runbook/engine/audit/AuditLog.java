package dev.runbook.engine.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbook.engine.state.PrivateFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

/**
 * Appends events to a run's {@code events.jsonl}, chaining each line to the one before by SHA-256
 * and syncing durable events to disk before returning, so a crash loses at most the line being
 * written. Also keeps {@code events.head} (the count and hash of the last durable line), so that
 * {@code audit verify} can tell a trail whose last lines were removed.
 *
 * <p>Thread-safe: parallel {@code foreach} items append from several threads.
 */
public final class AuditLog implements Closeable {

  /** The {@code prev} of the first line. */
  public static final String GENESIS = "0".repeat(64);

  static final ObjectMapper MAPPER = new ObjectMapper();

  private final FileChannel events;
  private final FileChannel head;
  private final Clock clock;
  private final boolean fsync;
  private final RunDirectory run;
  private long seq;
  private String lastHash;
  // What audit list needs from the run's first line, kept for the index entry at its end.
  private AuditEvent.RunStarted start;
  private Instant started;

  private AuditLog(
      RunDirectory run,
      FileChannel events,
      FileChannel head,
      Clock clock,
      boolean fsync,
      long seq,
      String lastHash) {
    this.run = run;
    this.events = events;
    this.head = head;
    this.clock = clock;
    this.fsync = fsync;
    this.seq = seq;
    this.lastHash = lastHash;
  }

  /**
   * Opens a run's trail for appending: a new one, or an existing one after its last complete line.
   *
   * @param fsync false only for measuring what syncing costs; real runs always sync
   */
  public static AuditLog open(RunDirectory run, Clock clock, boolean fsync) throws IOException {
    AuditTrail existing = AuditTrail.read(run);
    FileChannel events =
        PrivateFiles.open(run.events(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    // A partial last line (a crash mid-write) is cut off so new lines start clean.
    events.truncate(existing.completeBytes());
    events.position(existing.completeBytes());
    FileChannel head =
        PrivateFiles.open(run.head(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    AuditLog log =
        new AuditLog(run, events, head, clock, fsync, existing.lines().size(), existing.lastHash());
    if (!existing.lines().isEmpty()
        && existing.lines().get(0).event() instanceof AuditEvent.RunStarted first) {
      log.start = first;
      log.started = existing.lines().get(0).time().orElse(null);
    }
    return log;
  }

  /** Appends one event; returns its seq. */
  public synchronized long append(AuditEvent event) {
    appendLine(event);
    return seq;
  }

  /** Appends one event; returns the line as written (without its newline). */
  public synchronized String appendLine(AuditEvent event) {
    ObjectNode line = MAPPER.createObjectNode();
    Instant now = Instant.now(clock);
    line.put("seq", ++seq);
    line.put("time", now.toString());
    line.put("prev", lastHash);
    line.setAll((ObjectNode) MAPPER.valueToTree(event));
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + event.getClass().getSimpleName(), e);
    }
    lastHash = Hashes.sha256(bytes);
    try {
      ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
      while (buffer.hasRemaining()) {
        events.write(buffer);
      }
      if (event.durable()) {
        if (fsync) {
          events.force(false);
        }
        writeHead();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit trail", e);
    }
    if (event instanceof AuditEvent.RunStarted s && seq == 1) {
      start = s;
      started = now;
    }
    indexIfEnded(event, now);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Adds the run to the state directory's {@link RunIndex} when it finishes or pauses (both are
   * durable, so the head records this line). The index is a cache: when it cannot be written,
   * {@code audit list} reads this run's trail instead, so the run goes on.
   */
  private void indexIfEnded(AuditEvent event, Instant now) {
    String status;
    String message;
    if (event instanceof AuditEvent.RunFinished f) {
      status = f.outcome();
      message = f.message();
    } else if (event instanceof AuditEvent.Paused p) {
      status = "paused";
      message = p.reason() + " at " + p.step();
    } else {
      return;
    }
    if (start == null || !event.durable()) {
      return;
    }
    RunSummary summary =
        new RunSummary(
            run.runId(),
            start.runbook(),
            start.title(),
            start.alarms(),
            start.operator(),
            start.machine(),
            start.params(),
            started,
            now,
            status,
            message);
    try {
      long modified =
          java.nio.file.Files.getLastModifiedTime(run.events())
              .to(java.util.concurrent.TimeUnit.NANOSECONDS);
      RunIndex.append(
          RunIndex.fileBeside(run),
          new RunIndex.Entry(summary, events.position(), modified, seq, lastHash));
    } catch (IOException | RuntimeException e) {
      // a missing entry only makes audit list read this trail
    }
  }

  /** What {@code events.head} holds after line {@code seq} with hash {@code hash} was synced. */
  static byte[] headBytes(long seq, String hash) {
    return ("{\"seq\":" + seq + ",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.UTF_8);
  }

  private void writeHead() throws IOException {
    byte[] text = headBytes(seq, lastHash);
    head.truncate(0);
    head.write(ByteBuffer.wrap(text), 0);
  }

  @Override
  public synchronized void close() {
    try {
      events.close();
      head.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path relative(RunDirectory run, Path file) {
    return run.path().relativize(file);
  }
}
