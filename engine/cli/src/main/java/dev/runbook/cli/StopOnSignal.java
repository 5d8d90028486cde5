package dev.runbook.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C or SIGTERM during a run: the run's thread is interrupted, which stops the running step's
 * processes and records the stop in the trail (the step is then in doubt for {@code resume}); the
 * command then prints how to continue. While the run waits at a prompt nothing is running, so the
 * process ends at once and the question is asked again on resume.
 *
 * <p>The JVM runs this as a shutdown hook, which also runs on a normal {@code System.exit}: it does
 * nothing unless a run is in progress.
 */
final class StopOnSignal {

  /** How long a stopping run may take to stop its steps and write the record. */
  private static final long STOP_MILLIS = 20_000;

  private static volatile Thread running;
  private static volatile String runId;
  private static volatile boolean atPrompt;
  private static final AtomicBoolean stopping = new AtomicBoolean();
  private static final AtomicBoolean hooked = new AtomicBoolean();

  private StopOnSignal() {}

  /** Runs {@code run} on this thread, stopping it cleanly if the process is signalled meanwhile. */
  static <T> T guard(Callable<T> run) throws Exception {
    if (hooked.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(StopOnSignal::stop, "runbook-stop"));
    }
    running = Thread.currentThread();
    try {
      return run.call();
    } finally {
      running = null;
    }
  }

  /** The run's id, once its trail exists: the message on a stop names it. */
  static void started(String id) {
    runId = id;
  }

  /** Whether the run waits at a prompt now. */
  static void atPrompt(boolean now) {
    atPrompt = now;
  }

  /** Whether a signal is stopping the run: then the process must end by the hook, not exit(). */
  static boolean stopping() {
    return stopping.get();
  }

  private static void stop() {
    Thread thread = running;
    if (thread == null) {
      return;
    }
    stopping.set(true);
    PrintStream err = System.err;
    if (atPrompt) {
      err.println();
      err.println(
          "runbook: stopped while waiting for an answer; nothing was running."
              + (runId == null ? "" : " Continue with: runbook resume " + runId));
      return;
    }
    err.println();
    err.println("runbook: stopping: the running step's processes are being stopped…");
    thread.interrupt();
    try {
      thread.join(STOP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
