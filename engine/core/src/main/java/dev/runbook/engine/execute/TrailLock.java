package dev.runbook.engine.execute;

import dev.runbook.engine.audit.RunActivity;
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
    Path file = run.runLock();
    FileChannel[] channel = new FileChannel[1];
    FileLock[] lock = new FileLock[1];
    // Through RunActivity: this JVM must never open the file while it holds the lock (closing any
    // descriptor of the file would drop the lock), and a second thread must not take it twice.
    boolean taken =
        RunActivity.holdHere(
            file,
            () -> {
              FileChannel opened =
                  PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
              FileLock got;
              try {
                got = opened.tryLock();
              } catch (OverlappingFileLockException e) {
                got = null;
              } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
              }
              if (got == null) {
                opened.close();
                return false;
              }
              channel[0] = opened;
              lock[0] = got;
              return true;
            });
    if (!taken) {
      throw new Busy(run.runId());
    }
    TrailLock held = new TrailLock(channel[0], lock[0], file);
    List<Long> orphans = LockHolders.of(file);
    if (!orphans.isEmpty()) {
      held.close();
      throw new Busy(run.runId(), LockHolders.describe(orphans));
    }
    return held;
  }

  /**
   * Whether a process is running or resuming the run now, or a stopped run's step processes still
   * hold it. Never waits, and never creates the file.
   */
  public static boolean isHeld(RunDirectory run) {
    return RunActivity.isRunning(run)
        || (Files.isRegularFile(run.runLock(), LinkOption.NOFOLLOW_LINKS)
            && !LockHolders.of(run.runLock()).isEmpty());
  }

  @Override
  public void close() throws IOException {
    RunActivity.releasedHere(file);
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
