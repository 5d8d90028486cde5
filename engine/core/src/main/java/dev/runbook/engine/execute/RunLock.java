package dev.runbook.engine.execute;

import dev.runbook.engine.Sleeper;
import dev.runbook.engine.audit.Hashes;
import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A runbook's {@code lock:} held for a whole run, across processes: an OS file lock on {@code
 * STATE/locks/KEY.lock}, which the kernel releases when the process dies, so a crashed run never
 * leaves a stale lock. The file holds a line naming the holder, for the message a second run
 * prints.
 */
public final class RunLock implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(200);

  /** Locks this JVM holds: the OS would not tell two threads of one process apart. */
  private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock, waiting up to {@code wait} for its holder to finish.
   *
   * @param holder one line describing this run, shown to whoever finds the lock taken
   */
  public static RunLock acquire(
      Path stateDir, String key, String holder, Duration wait, Clock clock, Sleeper sleeper)
      throws IOException, LockHeldException, InterruptedException {
    Path dir = stateDir.resolve("locks");
    PrivateFiles.createDirectories(dir);
    Path file = dir.resolve(fileName(key));
    Instant deadline = clock.instant().plus(wait);
    while (true) {
      RunLock taken = tryTake(file, holder);
      if (taken != null) {
        List<Long> orphans = LockHolders.of(file);
        if (orphans.isEmpty()) {
          return taken;
        }
        taken.close();
        if (!clock.instant().isBefore(deadline)) {
          throw new LockHeldException(key, LockHolders.describe(orphans));
        }
      } else if (!clock.instant().isBefore(deadline)) {
        throw new LockHeldException(key, currentHolder(file));
      }
      sleeper.sleep(POLL);
    }
  }

  private static RunLock tryTake(Path file, String holder) throws IOException {
    if (HELD_HERE.putIfAbsent(file, holder) != null) {
      return null;
    }
    FileChannel channel =
        PrivateFiles.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      HELD_HERE.remove(file);
      throw e;
    }
    if (lock == null) {
      channel.close();
      HELD_HERE.remove(file);
      return null;
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(false);
    return new RunLock(file, channel, lock);
  }

  private static String currentHolder(Path file) {
    String inJvm = HELD_HERE.get(file);
    if (inJvm != null) {
      return inJvm;
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "another run (no details recorded)" : text;
    } catch (IOException e) {
      return "another run (" + e.getMessage() + ")";
    }
  }

  /**
   * A file name for any key: its hash, so that nothing of the key (which may hold a secret) is in a
   * file name anyone can list. The holder line inside the file names the run, not the key.
   */
  static String fileName(String key) {
    return Hashes.sha256(key.getBytes(StandardCharsets.UTF_8)) + ".lock";
  }

  /** The lock file, which a step's processes hold too while they live. */
  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      HELD_HERE.remove(file);
    }
  }
}
