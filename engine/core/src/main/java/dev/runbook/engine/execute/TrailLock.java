package dev.runbook.engine.execute;

import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The lock every run holds on its own trail while it runs or resumes ({@code
 * STATE/runs/RUN_ID/run.lock}, an OS lock the kernel drops when the process dies): a second {@code
 * resume} of the same run is refused instead of writing a second, interleaved history into the
 * trail, and {@code audit list} tells a run in progress from one that stopped.
 */
public final class TrailLock implements AutoCloseable {

  static final String FILE = "run.lock";

  private final FileChannel channel;
  private final FileLock lock;
  private final Path file;

  private TrailLock(FileChannel channel, FileLock lock, Path file) {
    this.channel = channel;
    this.lock = lock;
    this.file = file;
  }

  /** The lock file, which a step's processes hold too while they live. */
  public Path file() {
    return file;
  }

  /** Thrown when another process (or thread) is writing the run's trail. */
  public static final class Busy extends Exception {
    private static final long serialVersionUID = 1L;

    Busy(String runId) {
      super(
          "run "
              + runId
              + " is running or being resumed by another process right now; wait for it to"
              + " pause or finish ('runbook audit list' shows it as running)");
    }

    Busy(String runId, String why) {
      super("run " + runId + " cannot be resumed yet: " + why);
    }
  }

  /** Takes the run's trail lock, or throws {@link Busy} at once when someone holds it. */
  public static TrailLock take(RunDirectory run) throws IOException, Busy {
    FileChannel channel =
        PrivateFiles.open(
            run.path().resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this JVM
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new Busy(run.runId());
    }
    List<Long> orphans = LockHolders.of(run.path().resolve(FILE));
    if (!orphans.isEmpty()) {
      lock.release();
      channel.close();
      throw new Busy(run.runId(), LockHolders.describe(orphans));
    }
    return new TrailLock(channel, lock, run.path().resolve(FILE));
  }

  /**
   * Whether a process is running or resuming the run now. Takes the lock for an instant when it is
   * free; never waits, and never creates the file.
   */
  public static boolean isHeld(RunDirectory run) {
    Path file = run.path().resolve(FILE);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      try (FileLock probe = channel.tryLock()) {
        return probe == null || !LockHolders.of(file).isEmpty();
      } catch (OverlappingFileLockException e) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
