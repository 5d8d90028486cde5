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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Appends events to a run's {@code events.jsonl}, chaining each line to the one before by SHA-256
 * and syncing durable events to disk before returning, so a crash loses at most the line being
 * written. Also keeps {@code events.head} ({@link TrailHead}): rewritten after every line, so that
 * {@code audit verify} can tell a trail whose last lines were removed, even lines a killed run
 * never synced.
 *
 * <p>With a {@link SigningKey}, the head is signed whenever a line is synced (before the run goes
 * on) and otherwise at most {@link #SIGN_DELAY_MS} ms after a line is written, on a background
 * thread (the JDK's Ed25519 costs ~1 ms a signature, too much for every line). The run's start,
 * pauses, resumptions and end also go to the state directory's {@link Ledger}.
 *
 * <p>Thread-safe: parallel {@code foreach} items append from several threads.
 */
public final class AuditLog implements Closeable {

  /** The {@code prev} of the first line. */
  public static final String GENESIS = "0".repeat(64);

  /** How long a written line may wait for its signature when it is not synced. */
  static final long SIGN_DELAY_MS = 200;

  static final ObjectMapper MAPPER = new ObjectMapper();

  private final FileChannel events;
  private final FileChannel head;
  private final Clock clock;
  private final boolean fsync;
  private final RunDirectory run;
  private final SigningKey key;
  private final ScheduledExecutorService signer;
  private ScheduledFuture<?> pendingSignature;
  private long seq;
  private String lastHash;
  private long synced;
  private long signedSeq = -1;
  private String signedHash;
  private String signature;
  private boolean closed;
  private long headLength = Long.MAX_VALUE; // unknown at open: the first write cuts to size
  private byte[] headBytes;
  // The shared store's copy, if any: lines not yet in it, and the files they name.
  private TrailMirror mirror;
  private final List<byte[]> unmirrored = new ArrayList<>();
  private final List<String> unmirroredFiles = new ArrayList<>();
  private long mirrored;
  // What audit list needs from the run's first line, kept for the index entry at its end.
  private AuditEvent.RunStarted start;
  private Instant started;

  private AuditLog(
      RunDirectory run,
      FileChannel events,
      FileChannel head,
      Clock clock,
      boolean fsync,
      SigningKey key,
      long seq,
      String lastHash) {
    this.run = run;
    this.events = events;
    this.head = head;
    this.clock = clock;
    this.fsync = fsync;
    this.key = key;
    this.seq = seq;
    this.synced = seq;
    this.lastHash = lastHash;
    this.signer =
        key == null
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread thread = new Thread(r, "runbook-trail-signer");
                  thread.setDaemon(true);
                  return thread;
                });
  }

  /**
   * Opens a run's trail for appending: a new one, or an existing one after its last complete line,
   * signing with the key {@link SigningKey#ENVIRONMENT} names, if any.
   *
   * @param fsync false only for measuring what syncing costs; real runs always sync
   * @throws SigningKey.Unusable when that key cannot be used (the run must not start unsigned)
   */
  public static AuditLog open(RunDirectory run, Clock clock, boolean fsync) throws IOException {
    return open(run, clock, fsync, SigningKey.fromEnvironment(stateDirectory(run)));
  }

  /** As {@link #open(RunDirectory, Clock, boolean)}, with this key (null: unsigned). */
  public static AuditLog open(RunDirectory run, Clock clock, boolean fsync, SigningKey key)
      throws IOException {
    return open(run, clock, fsync, key, -1);
  }

  /**
   * Opens an existing trail to resume it, keeping only its first {@code keepLines} lines (those
   * {@link AuditVerifier#checkForResume} vouched for); the lines after them were never signed and
   * are dropped, as a partial last line is.
   *
   * @param keepLines how many lines to keep, or -1 for every complete line
   */
  public static AuditLog open(
      RunDirectory run, Clock clock, boolean fsync, SigningKey key, long keepLines)
      throws IOException {
    AuditTrail existing = AuditTrail.read(run);
    int kept =
        keepLines < 0 || keepLines > existing.lines().size()
            ? existing.lines().size()
            : (int) keepLines;
    long keptBytes = existing.bytesThrough(kept);
    FileChannel events =
        PrivateFiles.open(run.events(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    // A partial last line (a crash mid-write) is cut off so new lines start clean.
    events.truncate(keptBytes);
    events.position(keptBytes);
    FileChannel head =
        PrivateFiles.open(run.head(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    String lastHash = kept == 0 ? GENESIS : existing.lines().get(kept - 1).hash();
    AuditLog log = new AuditLog(run, events, head, clock, fsync, key, kept, lastHash);
    if (kept > 0 && existing.lines().get(0).event() instanceof AuditEvent.RunStarted first) {
      log.start = first;
      log.started = existing.lines().get(0).time().orElse(null);
    }
    return log;
  }

  /**
   * Keeps a copy of this trail in {@code mirror} from now on: the lines the copy lacks are handed
   * to it with the next durable event, and every line after them likewise.
   *
   * @throws IOException when the copy has more lines than this trail: it went on elsewhere, and
   *     this copy must be brought up to date from it before the run goes on
   */
  public synchronized void mirrorTo(TrailMirror mirror) throws IOException {
    // A new run's id was drawn free of the store's (RunDirectory.create): no need to ask again;
    // two machines drawing it at once are told apart by the store's next-line check.
    long has = seq == 0 ? 0 : mirror.lines(run.runId());
    if (has > seq) {
      throw new IOException(
          "the store has "
              + has
              + " lines of run "
              + run.runId()
              + " but this copy has "
              + seq
              + ": the run went on elsewhere");
    }
    AuditTrail existing = has == seq ? null : AuditTrail.read(run);
    for (int i = (int) has; i < seq; i++) {
      unmirrored.add(existing.lines().get(i).bytes());
      if (existing.lines().get(i).event() instanceof AuditEvent.StepFinished f
          && f.output() != null) {
        unmirroredFiles.add(f.output().file());
      }
    }
    this.mirrored = has;
    this.mirror = mirror;
  }

  /** Appends one event; returns its seq. */
  public synchronized long append(AuditEvent event) {
    appendLine(event);
    return seq;
  }

  /** Appends one event; returns the line as written (without its newline). */
  public synchronized String appendLine(AuditEvent event) {
    // An interrupt (Ctrl-C, a server stopping a run taken over from it) may come while a line is
    // being written: a FileChannel written by an interrupted thread is closed mid-write, which
    // would tear the line. The interrupt is kept for the next wait, where the run stops.
    boolean interrupted = Thread.interrupted();
    try {
      return write(event);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String write(AuditEvent event) {
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
        synced = seq;
        signNow();
        writeHead();
        if (fsync) {
          head.force(false);
        }
      } else {
        writeHead();
        signSoon();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit trail", e);
    }
    if (mirror != null) {
      unmirrored.add(bytes);
      if (event instanceof AuditEvent.StepFinished f && f.output() != null) {
        unmirroredFiles.add(f.output().file());
      }
      if (event.durable()) {
        // Before the ledger and before the run goes on: what the ledger records is in the store.
        flushMirror();
      }
    }
    if (event instanceof AuditEvent.RunStarted s && seq == 1) {
      start = s;
      started = now;
    }
    recordInLedger(event);
    indexIfEnded(event, now);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Hands the store the lines it lacks (the caller holds the lock). A refusal stops the run: a
   * lease taken over means another server drives it now, and nothing more may be done here.
   */
  private void flushMirror() {
    if (unmirrored.isEmpty() && headBytes == null) {
      return;
    }
    try {
      Map<String, byte[]> files = new LinkedHashMap<>();
      for (String name : unmirroredFiles) {
        files.put(name, Files.readAllBytes(run.path().resolve(name)));
      }
      mirror.write(run.runId(), mirrored + 1, List.copyOf(unmirrored), files, headBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot copy line " + (mirrored + 1) + " of the audit trail to the store: " + e, e);
    }
    mirrored += unmirrored.size();
    unmirrored.clear();
    unmirroredFiles.clear();
  }

  /** Signs the head as it is now (the caller holds the lock). */
  private void signNow() {
    if (key == null || signedSeq == seq) {
      return;
    }
    signature = key.signBase64(TrailHead.statement(run.runId(), seq, lastHash));
    signedSeq = seq;
    signedHash = lastHash;
  }

  /** Has the signer thread sign the head shortly, unless a signature is already due. */
  private void signSoon() {
    if (signer == null || (pendingSignature != null && !pendingSignature.isDone())) {
      return;
    }
    pendingSignature = signer.schedule(this::signPending, SIGN_DELAY_MS, TimeUnit.MILLISECONDS);
  }

  private synchronized void signPending() {
    if (closed || signedSeq == seq) {
      return;
    }
    signNow();
    try {
      writeHead();
    } catch (IOException e) {
      // the next line's head write reports a broken disk; a late signature is only later
    }
  }

  /** The run's start, pauses, resumptions and end go to the ledger of runs (synced, signed). */
  private void recordInLedger(AuditEvent event) {
    String what;
    if (event instanceof AuditEvent.RunStarted && seq == 1) {
      what = "started";
    } else if (event instanceof AuditEvent.Paused) {
      what = "paused";
    } else if (event instanceof AuditEvent.Resumed) {
      what = "resumed";
    } else if (event instanceof AuditEvent.RunFinished) {
      what = "finished";
    } else {
      return;
    }
    try {
      Ledger.append(stateDirectory(run), run.runId(), what, seq, lastHash, key, fsync, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ledger of runs", e);
    }
  }

  /** The state directory a run directory ({@code STATE/runs/ID}) is in. */
  public static Path stateDirectory(RunDirectory run) {
    Path runs = run.path().toAbsolutePath().getParent();
    return runs == null || runs.getParent() == null ? runs : runs.getParent();
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
      status = f.outcome().label();
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
      long modified = Files.getLastModifiedTime(run.events()).to(TimeUnit.NANOSECONDS);
      RunIndex.append(
          RunIndex.fileBeside(run),
          new RunIndex.Entry(summary, events.position(), modified, seq, lastHash));
    } catch (IOException | RuntimeException e) {
      // a missing entry only makes audit list read this trail
    }
  }

  /**
   * Rewrites {@code events.head} in place: written over the old head, then cut to length, so a
   * killed process leaves the old head or the new one, never an empty file.
   */
  private void writeHead() throws IOException {
    byte[] text =
        new TrailHead(
                seq,
                lastHash,
                run.runId(),
                synced,
                signedSeq,
                signedHash,
                key == null ? null : key.fingerprint(),
                signature)
            .format();
    ByteBuffer buffer = ByteBuffer.wrap(text);
    long position = 0;
    while (buffer.hasRemaining()) {
      position += head.write(buffer, position);
    }
    // Heads only grow (seq gains digits, a signature is added once): a shorter one is cut to size.
    if (text.length < headLength) {
      head.truncate(text.length);
    }
    headLength = text.length;
    headBytes = text;
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      if (signer != null) {
        signer.shutdownNow();
        if (signedSeq != seq && events.isOpen()) {
          signNow();
          writeHead();
        }
      }
      if (mirror != null) {
        closeMirror();
      }
      events.close();
      head.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The last lines and the final head go to the store when the run's log closes; a store out of
   * reach then costs only lines after the last durable one, which a resume treats as never written
   * (they were safe to repeat).
   */
  private void closeMirror() {
    try {
      flushMirror();
    } catch (UncheckedIOException e) {
      // Said by the run's own end; a later resume brings the store up to date from this copy.
    }
  }

  static Path relative(RunDirectory run, Path file) {
    return run.path().relativize(file);
  }
}
