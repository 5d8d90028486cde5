package dev.runbook.engine.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a process is running a run right now. While a run is active (started or resumed) its
 * engine holds an exclusive OS lock on {@code RUN/run.lock}; the kernel drops it when that process
 * ends, however it ends. A reader that can take the lock (and lets it go at once) knows nobody runs
 * it: a run that neither finished nor paused was then crashed or killed.
 */
public final class RunActivity {

  /**
   * The run locks this JVM holds. POSIX record locks belong to the process: closing <em>any</em>
   * descriptor of the file drops every lock the process holds on it, so a probe must never open the
   * lock file of a run this very process is running (a resume checks its own trail while holding
   * the lock). Probes and takers in this JVM synchronize on this set.
   */
  private static final Set<Path> HELD_HERE = new HashSet<>();

  private RunActivity() {}

  /**
   * Runs {@code take} (which takes the lock on {@code lockFile}) with probes in this JVM held off,
   * and records the lock as held here when it returns true.
   */
  public static <E extends Exception> boolean holdHere(Path lockFile, LockAttempt<E> take)
      throws E {
    synchronized (HELD_HERE) {
      if (HELD_HERE.contains(lockFile.toAbsolutePath().normalize())) {
        return false;
      }
      boolean taken = take.attempt();
      if (taken) {
        HELD_HERE.add(lockFile.toAbsolutePath().normalize());
      }
      return taken;
    }
  }

  /** Forgets a lock this JVM let go of; call before releasing it. */
  public static void releasedHere(Path lockFile) {
    synchronized (HELD_HERE) {
      HELD_HERE.remove(lockFile.toAbsolutePath().normalize());
    }
  }

  /** Whether this JVM holds the lock on {@code lockFile}. */
  public static boolean isHeldHere(Path lockFile) {
    synchronized (HELD_HERE) {
      return HELD_HERE.contains(lockFile.toAbsolutePath().normalize());
    }
  }

  /** An attempt to take a lock. */
  @FunctionalInterface
  public interface LockAttempt<E extends Exception> {
    boolean attempt() throws E;
  }

  /**
   * True when some process holds the run's lock. Never blocks: the lock file is opened only when it
   * is a regular file, and the lock is only tried.
   */
  public static boolean isRunning(RunDirectory run) {
    synchronized (HELD_HERE) {
      if (HELD_HERE.contains(run.runLock().toAbsolutePath().normalize())) {
        return true; // this JVM runs it: opening the file would drop the lock
      }
      return probe(run);
    }
  }

  private static boolean probe(RunDirectory run) {
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
