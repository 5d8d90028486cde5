package dev.runbook.server.work;

import dev.runbook.engine.RunRequest;
import dev.runbook.engine.store.FencedException;
import dev.runbook.server.queue.AlertQueue;
import dev.runbook.server.queue.AlertRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A bounded pool of workers that drive runs: each takes the next job (start an alert's run, or
 * resume one), and one run is driven by at most one worker at a time. A job that meets a lock
 * another run holds is offered again a little later, without holding a worker meanwhile.
 *
 * <p>Stopping interrupts the workers: a run in progress then pauses as stopped by a signal, its
 * running step in doubt, and the next start of the server resumes it.
 */
public final class Dispatcher implements AutoCloseable {

  private static final long RETRY_MS = 1000;

  /** Something for a worker to do. */
  private sealed interface Job {
    String key();

    record Start(String key) implements Job {}

    record Resume(String key, List<RunRequest.GivenAnswers> answers, String who) implements Job {}
  }

  private final AlertQueue queue;
  private final RunDriver driver;
  private final Custody custody;
  private final Consumer<String> log;
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  // Which worker drives which alert now, and the alerts whose runs were told to stop.
  private final Map<String, Thread> drivers = new ConcurrentHashMap<>();
  private final Set<String> stopping = ConcurrentHashMap.newKeySet();
  private volatile Runnable whenIdle = () -> {};
  private final AtomicInteger retrying = new AtomicInteger();
  private final List<Thread> workers;
  private final ScheduledExecutorService later =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "runbook-retry");
            t.setDaemon(true);
            return t;
          });

  public Dispatcher(AlertQueue queue, RunDriver driver, int workers, Consumer<String> log) {
    this(queue, driver, Custody.LOCAL, workers, log);
  }

  /**
   * @param custody who may drive an alert's run (with a shared queue: the holder of its lease)
   */
  public Dispatcher(
      AlertQueue queue, RunDriver driver, Custody custody, int workers, Consumer<String> log) {
    this.queue = queue;
    this.driver = driver;
    this.custody = custody;
    this.log = log;
    this.workers =
        IntStream.range(0, workers)
            .mapToObj(i -> new Thread(this::work, "runbook-worker-" + (i + 1)))
            .toList();
  }

  public void start() {
    workers.forEach(Thread::start);
  }

  /** Runs a queued alert. */
  public void start(String key) {
    jobs.add(new Job.Start(key));
  }

  /**
   * Continues a paused (or, after a restart, interrupted) run with these answers.
   *
   * @return false when a worker is driving that alert's run right now
   */
  public boolean resume(String key, List<RunRequest.GivenAnswers> answers, String who) {
    if (active.contains(key)) {
      return false;
    }
    jobs.add(new Job.Resume(key, answers, who));
    return true;
  }

  /**
   * Whom to tell when a worker has finished a job and is free (the shared store's claim loop, so it
   * claims the next alert at once rather than at its next poll).
   */
  public void whenIdle(Runnable listener) {
    this.whenIdle = listener;
  }

  /** How many workers there are. */
  public int workers() {
    return workers.size();
  }

  /**
   * Jobs under way, waiting for a worker, or waiting to be tried again (a lock held elsewhere); an
   * estimate, as a job may be between two of these.
   */
  public int load() {
    return active.size() + jobs.size() + retrying.get();
  }

  /**
   * Stops the run of an alert this server no longer holds (its lease was taken over while this
   * server was frozen or cut off): the worker is interrupted, so the engine stops the running
   * step's processes; whatever it then tries to record is refused by the store's fence. The worker
   * goes on to its next job.
   */
  public void stop(String key) {
    Thread driver = drivers.get(key);
    if (driver != null) {
      stopping.add(key);
      log.accept(
          "alert "
              + key
              + " was taken over by another server: its run here is stopped, with the step it was"
              + " in");
      driver.interrupt();
    }
  }

  /** Whether a worker drives this alert's run now. */
  public boolean busy(String key) {
    return active.contains(key);
  }

  private void work() {
    while (!Thread.currentThread().isInterrupted()) {
      Job job;
      try {
        job = jobs.take();
      } catch (InterruptedException e) {
        return;
      }
      if (!active.add(job.key())) {
        retryLater(job); // another worker has this alert's run now
        continue;
      }
      try {
        if (!custody.take(job.key())) {
          active.remove(job.key());
          retryLater(job); // another server drives it now
          continue;
        }
      } catch (IOException e) {
        log.accept("cannot take alert " + job.key() + " now: " + e.getMessage());
        active.remove(job.key());
        retryLater(job);
        continue;
      }
      boolean finished = true;
      drivers.put(job.key(), Thread.currentThread());
      try {
        finished = run(job) == RunDriver.Done.DONE;
      } catch (InterruptedException e) {
        if (!stopping.contains(job.key())) {
          return;
        }
      } catch (Exception e) {
        if (stopping.contains(job.key()) || fenced(e)) {
          // Another server drives this alert now: what it records stands, nothing is written.
          log.accept(
              "alert " + job.key() + ": its run here stopped, the alert being taken over: " + e);
        } else {
          // A bug, not a run's outcome: say so on the alert rather than leave it running forever.
          log.accept("job for alert " + job.key() + " failed: " + e);
          driver.failed(job.key(), e);
        }
      } finally {
        drivers.remove(job.key());
        if (stopping.remove(job.key())) {
          Thread.interrupted(); // this run's stop, not the server's: the worker goes on
        }
        if (finished) {
          custody.release(job.key());
        }
        active.remove(job.key());
        whenIdle.run();
      }
    }
  }

  /** Whether a job failed because the store refused a write made under a lease taken over. */
  private static boolean fenced(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof FencedException) {
        return true;
      }
    }
    return false;
  }

  private RunDriver.Done run(Job job) throws Exception {
    Optional<AlertRecord> record = queue.get(job.key());
    if (record.isEmpty()) {
      return RunDriver.Done.DONE;
    }
    RunDriver.Done done;
    if (job instanceof Job.Start) {
      if (record.get().state() != AlertRecord.State.QUEUED) {
        return RunDriver.Done.DONE; // offered twice (a retry and a restart): it runs once
      }
      done = driver.start(record.get());
    } else {
      Job.Resume resume = (Job.Resume) job;
      done = driver.resume(record.get(), resume.answers(), resume.who());
    }
    if (done == RunDriver.Done.RETRY_LATER) {
      retryLater(job);
    } else if (done == RunDriver.Done.START_AGAIN) {
      jobs.add(new Job.Start(job.key()));
    }
    return done;
  }

  private void retryLater(Job job) {
    retrying.incrementAndGet();
    later.schedule(
        () -> {
          jobs.add(job);
          retrying.decrementAndGet();
        },
        RETRY_MS,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    later.shutdownNow();
    workers.forEach(Thread::interrupt);
    for (Thread worker : workers) {
      worker.join(30_000);
    }
  }
}
