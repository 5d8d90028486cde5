package dev.runbook.testkit;

import dev.runbook.engine.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A FAKE clock and sleeper in one: time stands still until the engine sleeps (a retry's delay, a
 * poll's interval, a {@code sleep:} step, waiting for a lock), and a sleep moves it on by exactly
 * the time asked, at once. A test of a 10-minute poll takes no time and its trail's times are
 * exact. Thread-safe.
 */
public final class FakeTime extends Clock implements Sleeper {

  /** Where fake time starts unless told otherwise. */
  public static final Instant START = Instant.parse("2026-01-15T03:00:00Z");

  private final AtomicReference<Instant> now;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final AtomicInteger crashAt = new AtomicInteger();

  public FakeTime() {
    this(START);
  }

  public FakeTime(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before a fake sleep");
    }
    if (crashAt.get() > 0 && crashAt.decrementAndGet() == 0) {
      throw new SimulatedCrash("the engine died during a sleep");
    }
    sleeps.add(duration);
    advance(duration.isNegative() ? Duration.ZERO : duration);
  }

  /** Moves time on, as the world does while no engine runs (between a crash and a resume). */
  public void advance(Duration duration) {
    now.updateAndGet(t -> t.plus(duration));
  }

  /**
   * The {@code nth} sleep from now (1 = the next) does not happen: the engine dies there, as a
   * SIGKILL in the middle of a wait would leave it ({@link SimulatedCrash}).
   */
  public void crashAtSleep(int nth) {
    if (nth < 1) {
      throw new IllegalArgumentException("the first sleep is 1");
    }
    crashAt.set(nth);
  }

  /** Every sleep the engine took, in order. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** All the time the engine slept. */
  public Duration slept() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (!ZoneOffset.UTC.equals(zone)) {
      throw new UnsupportedOperationException("fake time is UTC only");
    }
    return this;
  }
}
