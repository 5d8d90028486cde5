package dev.runbook.plugins.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.exec.ExecuteStreamHandler;

/**
 * Copies a process's stdout and stderr to their line streams on threads kept for reuse, where
 * Commons Exec's {@code PumpStreamHandler} starts two new threads for every command (a third of the
 * cost of a step that runs {@code /bin/true}). The process gets no standard input.
 *
 * <p>Once the process has exited, its output is waited for at most {@link #DRAIN}: a command that
 * leaves a background child holding its stdout open ({@code server &}) must not hold the step for
 * ever. What such a child prints later is dropped.
 */
final class OutputPumps implements ExecuteStreamHandler {

  static final Duration DRAIN = Duration.ofSeconds(5);

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "runbook-output-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private final Pump stdout;
  private final Pump stderr;

  OutputPumps(OutputStream stdout, OutputStream stderr) {
    this.stdout = new Pump(stdout);
    this.stderr = new Pump(stderr);
  }

  @Override
  public void setProcessInputStream(OutputStream input) throws IOException {
    input.close(); // a command that reads stdin sees its end at once
  }

  @Override
  public void setProcessOutputStream(InputStream output) {
    stdout.from = output;
  }

  @Override
  public void setProcessErrorStream(InputStream error) {
    stderr.from = error;
  }

  @Override
  public void start() {
    stdout.start();
    stderr.start();
  }

  @Override
  public void stop() throws IOException {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    stdout.finish(deadline);
    stderr.finish(deadline);
  }

  /** One stream's copy task. */
  private static final class Pump {
    private final OutputStream to;
    private volatile InputStream from;
    private volatile boolean abandoned;
    private Future<?> task;

    Pump(OutputStream to) {
      this.to = to;
    }

    void start() {
      InputStream in = from;
      if (in == null) {
        return;
      }
      task = POOL.submit(() -> copy(in));
    }

    private Void copy(InputStream in) throws IOException {
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          synchronized (this) {
            if (abandoned) {
              return null;
            }
            to.write(buffer, 0, n);
          }
        }
      }
      return null;
    }

    void finish(long deadline) throws IOException {
      if (task != null) {
        try {
          task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          synchronized (this) {
            abandoned = true;
          }
        } catch (ExecutionException e) {
          // the pipe broke: what was read so far is all there is
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          synchronized (this) {
            abandoned = true;
          }
        }
      }
      synchronized (this) {
        to.flush(); // the last line, if it has no newline
      }
    }
  }
}
