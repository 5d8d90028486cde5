package dev.runbook.engine.store;

import dev.runbook.api.Alarm;
import dev.runbook.engine.Sleeper;
import dev.runbook.engine.audit.TrailMirror;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A run's trail copied to a shared store's {@link TrailStore} as it is written, each write fenced
 * by the run's lease. A store out of reach (a database restarting) is waited for with backoff, up
 * to {@code patience}: the run stands still meanwhile, before its next step, and loses nothing; a
 * fenced write is never retried.
 */
public final class StoreMirror implements TrailMirror {

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final TrailStore trails;
  private final TrailFence fence;
  private final Alarm alarm;
  private final Duration patience;
  private final Sleeper sleeper;

  public StoreMirror(
      TrailStore trails, TrailFence fence, Alarm alarm, Duration patience, Sleeper sleeper) {
    this.trails = trails;
    this.fence = fence;
    this.alarm = alarm;
    this.patience = patience;
    this.sleeper = sleeper;
  }

  @Override
  public long lines(String runId) throws IOException {
    return patiently(() -> trails.lineCount(runId));
  }

  @Override
  public void write(
      String runId, long firstSeq, List<byte[]> lines, Map<String, byte[]> files, byte[] head)
      throws IOException {
    patiently(
        () -> {
          trails.appendAll(runId, firstSeq, lines, files, head, fence.lease(alarm));
          return null;
        });
  }

  private interface Call<T> {
    T call() throws IOException;
  }

  /**
   * The call, tried again while the store is out of reach. A run stopped by Ctrl-C records its stop
   * with its thread interrupted: the store gets that line all the same.
   */
  private <T> T patiently(Call<T> call) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      return retried(call);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private <T> T retried(Call<T> call) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() + backoff.toNanos() > deadline) {
          throw new StoreUnavailableException(
              e.getMessage() + " (tried " + attempt + " times over " + patience.toSeconds() + " s)",
              e);
        }
        try {
          sleeper.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the store", interrupted);
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }
}
