package dev.runbook.engine.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;

/**
 * Whether a process is running a run right now. While a run is active (started or resumed) its
 * engine holds an exclusive OS lock on {@code RUN/run.lock}; the kernel drops it when that process
 * ends, however it ends. A reader that can take the lock (and lets it go at once) knows nobody runs
 * it: a run that neither finished nor paused was then crashed or killed.
 */
public final class RunActivity {

  private RunActivity() {}

  /**
   * True when some process holds the run's lock. Never blocks: the lock file is opened only when it
   * is a regular file, and the lock is only tried.
   */
  public static boolean isRunning(RunDirectory run) {
    try {
      TrailFiles.requireRegular(run.runLock());
    } catch (NoSuchFileException e) {
      return false; // a run from before run locks, or one that never got as far
    } catch (IOException e) {
      return false;
    }
    try (FileChannel channel =
        FileChannel.open(run.runLock(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      // A shared lock needs only read access and conflicts with the engine's exclusive one.
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // this JVM holds it: the run is going on in this very process
    } catch (IOException e) {
      return false;
    }
  }
}
