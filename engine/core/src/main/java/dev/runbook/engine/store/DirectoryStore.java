package dev.runbook.engine.store;

import dev.runbook.engine.Sleeper;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.execute.LockHeldException;
import dev.runbook.engine.execute.RunLock;
import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local state directory as a {@link Store}, the embedded default: trails are {@code
 * STATE/runs/ID/events.jsonl} and {@code events.head}, locks are the kernel's locks on {@code
 * STATE/locks/} files (the same files {@link RunLock} takes, so the two exclude each other). A
 * kernel lock never lapses while its process lives and is dropped when it dies, so its lease never
 * expires and its generation is always 0: the kernel is the fence.
 */
public final class DirectoryStore implements Store {

  /** The directory store's leases never lapse on their own: their expiry is the far future. */
  private static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");

  private final Path stateDir;
  private final Trails trails = new Trails();
  private final Locks locks = new Locks();

  public DirectoryStore(Path stateDir) {
    this.stateDir = stateDir;
  }

  @Override
  public TrailStore trails() {
    return trails;
  }

  @Override
  public LockStore locks() {
    return locks;
  }

  @Override
  public String describe() {
    return "the state directory " + stateDir;
  }

  @Override
  public void close() {
    locks.held.values().forEach(DirectoryStore::closeQuietly);
    locks.held.clear();
  }

  private static void closeQuietly(RunLock lock) {
    try {
      lock.close();
    } catch (IOException e) {
      // the kernel drops it with the process anyway
    }
  }

  private final class Trails implements TrailStore {

    @Override
    public synchronized void append(String runId, long seq, byte[] line, Lease fence)
        throws IOException {
      RunDirectory run = runDirectory(runId);
      PrivateFiles.createDirectories(run.path().resolve("outputs"));
      long have = lines(runId).size();
      if (seq != have + 1) {
        throw new IOException(
            "run " + runId + ": line " + seq + " is not the next one (the trail has " + have + ")");
      }
      try (FileChannel out =
          PrivateFiles.open(
              run.events(),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(false);
      }
    }

    @Override
    public synchronized void putHead(String runId, byte[] head, Lease fence) throws IOException {
      RunDirectory run = runDirectory(runId);
      PrivateFiles.createDirectories(run.path());
      PrivateFiles.write(run.head(), head);
    }

    @Override
    public synchronized void putFile(String runId, String name, byte[] content, Lease fence)
        throws IOException {
      Path file = fileOf(runId, name);
      PrivateFiles.createDirectories(file.getParent());
      PrivateFiles.write(file, content);
    }

    @Override
    public List<String> fileNames(String runId) throws IOException {
      Path outputs = runDirectory(runId).path().resolve("outputs");
      if (!Files.isDirectory(outputs)) {
        return List.of();
      }
      try (var files = Files.list(outputs)) {
        return files
            .filter(Files::isRegularFile)
            .map(f -> "outputs/" + f.getFileName())
            .sorted()
            .toList();
      }
    }

    @Override
    public byte[] file(String runId, String name) throws IOException {
      Path file = fileOf(runId, name);
      return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    /** A run's file by its name in the trail, refused when it is not one of its outputs. */
    private Path fileOf(String runId, String name) {
      return runDirectory(runId)
          .outputFile(name)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "'" + name + "' is not a file of run " + runId + " (outputs/NAME)"));
    }

    @Override
    public List<byte[]> lines(String runId) throws IOException {
      RunDirectory run = runDirectory(runId);
      if (!Files.isRegularFile(run.events())) {
        return List.of();
      }
      List<byte[]> lines = new ArrayList<>();
      for (AuditTrail.Line line : AuditTrail.read(run).lines()) {
        lines.add(line.bytes());
      }
      return lines;
    }

    @Override
    public byte[] head(String runId) throws IOException {
      Path head = runDirectory(runId).head();
      return Files.isRegularFile(head) ? Files.readAllBytes(head) : null;
    }

    @Override
    public List<String> runIds() throws IOException {
      return RunSummary.runs(stateDir).stream().map(RunDirectory::runId).toList();
    }

    private RunDirectory runDirectory(String runId) {
      if (!RunDirectory.isValidId(runId)) {
        throw new IllegalArgumentException("'" + runId + "' is not a run id");
      }
      return new RunDirectory(runId, RunDirectory.runsRoot(stateDir).resolve(runId));
    }
  }

  private final class Locks implements LockStore {
    private final Map<String, RunLock> held = new ConcurrentHashMap<>();

    @Override
    public Optional<Lease> tryAcquire(String key, String owner, Duration ttl) throws IOException {
      try {
        RunLock lock =
            RunLock.acquire(stateDir, key, owner, Duration.ZERO, Clock.systemUTC(), Sleeper.REAL);
        held.put(key, lock);
        return Optional.of(new Lease(key, owner, 0, NEVER));
      } catch (LockHeldException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while taking the lock " + key, e);
      }
    }

    @Override
    public Lease renew(Lease lease, Duration ttl) throws IOException {
      if (!held.containsKey(lease.key())) {
        throw new FencedException(lease);
      }
      return lease;
    }

    @Override
    public void release(Lease lease) throws IOException {
      RunLock lock = held.remove(lease.key());
      if (lock != null) {
        lock.close();
      }
    }

    @Override
    public Optional<Lease> holder(String key) {
      return held.containsKey(key)
          ? Optional.of(new Lease(key, "this process", 0, NEVER))
          : Optional.empty();
    }
  }
}
