package dev.runbook.plugins.shell;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;

/**
 * Tells the waiting thread the moment a process ends. Commons Exec's own
 * DefaultExecuteResultHandler polls in 50 ms sleeps, which cost ~50 ms per command: 60 times a bash
 * loop of /bin/true.
 */
final class CompletionLatch implements ExecuteResultHandler {

  private final CountDownLatch done = new CountDownLatch(1);
  private volatile int exitValue;
  private volatile ExecuteException failure;

  @Override
  public void onProcessComplete(int value) {
    exitValue = value;
    done.countDown();
  }

  @Override
  public void onProcessFailed(ExecuteException e) {
    failure = e;
    exitValue = e.getExitValue();
    done.countDown();
  }

  /** Waits up to {@code timeout} (null: for ever); true when the process has ended. */
  boolean await(Duration timeout) throws InterruptedException {
    if (timeout == null) {
      done.await();
      return true;
    }
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  int exitValue() {
    return exitValue;
  }

  ExecuteException failure() {
    return failure;
  }
}
