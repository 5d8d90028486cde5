package dev.runbook.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the scripted calls that reach it ({@link ScriptedAction.Reply#block}) until the test
 * releases it, so that a test can act while a step is running: start a second run, look at the
 * trail, count how many calls are inside at once. Every wait is bounded by {@link #LIMIT}: a gate
 * nobody releases fails the call (and so the test) instead of hanging the build.
 */
public final class Gate {

  /** The longest a call waits to be let through, and a test waits for calls to arrive. */
  public static final Duration LIMIT = Duration.ofSeconds(60);

  private final CountDownLatch released = new CountDownLatch(1);
  private int inside;
  private int mostInside;
  private int arrived;

  /** Called by a blocked reply: waits until released (bounded), interruptibly. */
  void pass() throws InterruptedException {
    synchronized (this) {
      inside++;
      arrived++;
      mostInside = Math.max(mostInside, inside);
      notifyAll();
    }
    try {
      if (!released.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the test did not release the gate within " + LIMIT);
      }
    } finally {
      synchronized (this) {
        inside--;
        notifyAll();
      }
    }
  }

  /** Lets every held call, and every later one, through. */
  public void release() {
    released.countDown();
  }

  /**
   * Waits until {@code n} calls have arrived at the gate (held or let through), at most {@link
   * #LIMIT}.
   *
   * @throws AssertionError when they do not arrive in time
   */
  public synchronized void awaitArrived(int n) throws InterruptedException {
    Instant deadline = Instant.now().plus(LIMIT);
    while (arrived < n) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        throw new AssertionError(
            "expected " + n + " calls at the gate within " + LIMIT + ", " + arrived + " came");
      }
      wait(left);
    }
  }

  /** How many calls the gate holds now. */
  public synchronized int inside() {
    return inside;
  }

  /** The most calls the gate held at once. */
  public synchronized int mostInside() {
    return mostInside;
  }

  /** How many calls have reached the gate. */
  public synchronized int arrived() {
    return arrived;
  }
}
