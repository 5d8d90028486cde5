package dev.runbook.engine.store;

import dev.runbook.engine.Sleeper;
import dev.runbook.engine.execute.LockHeldException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A runbook's {@code lock:} held as a lease in the shared store for a whole run started by a person
 * ({@code runbook run --store …}), renewed every third of its time to live until the run ends, so
 * that runs on other machines sharing the store (people's and servers') exclude it. If this process
 * dies the lease lapses by itself. {@code runbook serve} takes its runs' locks with its other
 * leases instead.
 */
public final class StoreLock implements AutoCloseable {

  /** How long the lease lasts unless renewed. */
  public static final Duration TTL = Duration.ofSeconds(30);

  private static final Duration POLL = Duration.ofSeconds(1);

  private final LockStore locks;
  private volatile Lease lease;
  private final ScheduledExecutorService renewer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "runbook-store-lock");
            t.setDaemon(true);
            return t;
          });

  // Ctrl-C at a question ends the JVM without unwinding the run: the lock is given up on the way.
  private final Thread releaseAtExit = new Thread(this::release, "runbook-store-lock-release");

  private StoreLock(LockStore locks, Lease lease) {
    this.locks = locks;
    this.lease = lease;
    Runtime.getRuntime().addShutdownHook(releaseAtExit);
    long every = Math.max(100, TTL.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock, waiting up to {@code wait} for a run elsewhere to give it up.
   *
   * @param key the runbook's lock key (as the engine's file lock has it)
   * @param owner who holds it, for the message another run gets
   */
  public static StoreLock take(
      LockStore locks, String key, String owner, Duration wait, Sleeper sleeper)
      throws IOException, LockHeldException, InterruptedException {
    String leaseKey = "lock:" + key;
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<Lease> taken = locks.tryAcquire(leaseKey, owner, TTL);
      if (taken.isPresent()) {
        return new StoreLock(locks, taken.get());
      }
      if (System.nanoTime() + POLL.toNanos() > deadline) {
        String holder = locks.holder(leaseKey).map(Lease::owner).orElse("another run");
        throw new LockHeldException(key, holder + " (in the shared store)");
      }
      sleeper.sleep(POLL);
    }
  }

  private void renew() {
    try {
      lease = locks.renew(lease, TTL);
    } catch (FencedException e) {
      // Taken over: this process stalled past the lease. The file lock still excludes runs here;
      // nothing to do but stop renewing.
      renewer.shutdown();
    } catch (IOException e) {
      // The store is out of reach: try again at the next turn, the lease still runs.
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(releaseAtExit);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook releases it
    }
    release();
  }

  private void release() {
    renewer.shutdownNow();
    // A run stopped by Ctrl-C may end with its thread still interrupted; the database call must
    // not fail for that (the lock would stay taken until it lapses).
    boolean interrupted = Thread.interrupted();
    try {
      locks.release(lease);
    } catch (IOException e) {
      // It lapses by itself.
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
