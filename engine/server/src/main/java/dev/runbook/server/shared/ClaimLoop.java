package dev.runbook.server.shared;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.store.TrailStore;
import dev.runbook.server.metrics.ServerMetrics;
import dev.runbook.server.queue.AlertRecord;
import dev.runbook.server.queue.SharedQueue;
import dev.runbook.server.work.Dispatcher;
import dev.runbook.server.work.RunDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Takes work from the shared queue for this server's idle workers: every {@code poll}, or at once
 * when this server admitted an alert. A claimed queued alert is run; a claimed running alert is a
 * takeover (its server stopped renewing the lease) and is never started again blindly:
 *
 * <ul>
 *   <li>no run id recorded: no step began anywhere (the run id is recorded before the first step),
 *       so the alert is run;
 *   <li>its trail is in the store (every run of a server sharing the store writes it there, line by
 *       line, before each step that must not run twice) or in this server's state directory:
 *       resumed here under the crash rules, as {@code runbook resume} does (an idempotent step cut
 *       off runs again; one that must not run twice and may have begun waits for a person);
 *   <li>else (a run whose trail never reached the store) that step may have run, and only a person
 *       can tell, so the alert is recorded as paused for a person, saying so.
 * </ul>
 */
public final class ClaimLoop implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final SharedQueue queue;
  private final Leases leases;
  private final Dispatcher dispatcher;
  private final ServerMetrics metrics;
  private final Path stateDir;
  private final String owner;
  private final TrailStore trails;
  private final Consumer<String> log;
  private final Semaphore wake = new Semaphore(0);
  private final Thread thread = new Thread(this::loop, "runbook-claim");
  private volatile boolean stopped;

  public ClaimLoop(
      SharedQueue queue,
      Leases leases,
      Dispatcher dispatcher,
      ServerMetrics metrics,
      Path stateDir,
      String owner,
      TrailStore trails,
      Consumer<String> log) {
    this.queue = queue;
    this.leases = leases;
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.stateDir = stateDir;
    this.owner = owner;
    this.trails = trails;
    this.log = log;
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /**
   * Resumes the runs this server's last life paused when it was stopped (SIGTERM, Ctrl-C): they are
   * recorded paused, so nobody claims them, and their trails are here. Their steps cut off by the
   * stop are in doubt and go by the crash rules.
   *
   * @return how many were resumed
   */
  public int resumeStopped() throws IOException {
    int resumed = 0;
    for (AlertRecord record : queue.all()) {
      if (record.state() != AlertRecord.State.PAUSED || !ours(record.runId())) {
        continue;
      }
      RunDirectory run =
          new RunDirectory(record.runId(), RunDirectory.runsRoot(stateDir).resolve(record.runId()));
      List<AuditEvent> events = AuditTrail.read(run).events();
      if (!events.isEmpty()
          && events.get(events.size() - 1) instanceof AuditEvent.Paused paused
          && paused.wasStopped()
          && dispatcher.resume(record.key(), List.of(), RunDriver.OPERATOR)) {
        resumed++;
      }
    }
    return resumed;
  }

  /** Whether a run's trail is in this server's state directory. */
  private boolean ours(String runId) {
    return runId != null
        && RunDirectory.isValidId(runId)
        && Files.isRegularFile(
            RunDirectory.runsRoot(stateDir).resolve(runId).resolve("events.jsonl"));
  }

  /**
   * Whether the store keeps the run's trail (every run of a server sharing it does): then any
   * server can resume it under the crash rules.
   */
  private boolean inStore(String runId) throws IOException {
    return runId != null && RunDirectory.isValidId(runId) && trails.lineCount(runId) > 0;
  }

  /** Claims now rather than at the next poll (an alert was just admitted). */
  public void wake() {
    wake.release();
  }

  private void loop() {
    Duration pause = POLL;
    boolean failing = false;
    while (!stopped) {
      try {
        claimOnce();
        if (failing) {
          log.accept("the store answers again; claiming alerts");
        }
        failing = false;
        pause = POLL;
      } catch (IOException | UncheckedIOException e) {
        if (!failing) {
          log.accept("cannot claim alerts (retrying with backoff): " + e.getMessage());
        }
        failing = true;
        pause =
            pause.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : pause.multipliedBy(2);
      } catch (RuntimeException e) {
        log.accept("claiming alerts failed (this is a bug in runbook serve): " + e);
      }
      try {
        wake.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Claims as many alerts as there are idle workers; package-private for tests. Called at each
   * poll, when this server admitted an alert, and when one of its workers became free.
   */
  void claimOnce() throws IOException {
    int idle = dispatcher.workers() - dispatcher.load();
    if (idle <= 0) {
      return;
    }
    for (SharedQueue.Claim claim : queue.claim(owner, leases.ttl(), idle)) {
      String key = claim.record().key();
      leases.holdAlert(key, claim.lease());
      if (!claim.takenOver()) {
        dispatcher.start(key);
      } else {
        takeOver(claim);
      }
    }
  }

  private void takeOver(SharedQueue.Claim claim) throws IOException {
    AlertRecord record = claim.record();
    String from = claim.previousOwner() == null ? "another server" : claim.previousOwner();
    if (record.runId() == null) {
      log.accept(
          "alert "
              + record.key()
              + ": taken over from "
              + from
              + " before its run began; run here");
      queue.update(record.with(AlertRecord.State.QUEUED), claim.lease());
      metrics.takenOver("restarted");
      dispatcher.start(record.key());
      return;
    }
    boolean inStore = inStore(record.runId());
    if (inStore || ours(record.runId())) {
      log.accept(
          "alert "
              + record.key()
              + ": run "
              + record.runId()
              + " taken over from "
              + from
              + "; resumed here from "
              + (inStore ? "the store's trail" : "this server's trail")
              + " under the crash rules");
      if (dispatcher.resume(record.key(), List.of(), RunDriver.OPERATOR)) {
        metrics.takenOver("resumed");
      } else {
        leases.releaseAlert(record.key()); // a worker here drives it already
      }
      return;
    }
    String why =
        "taken over by "
            + owner
            + " after "
            + from
            + " stopped renewing its lease (it died or froze); its run "
            + record.runId()
            + " may have been in the middle of a step, and that run's trail is on "
            + from
            + ": nothing was run again. A person must check the target and decide (the trail"
            + " on "
            + from
            + " shows the step in doubt)";
    queue.update(record.ended(AlertRecord.State.PAUSED, "taken-over", why), claim.lease());
    leases.releaseAlert(record.key());
    metrics.takenOver("paused");
    metrics.run("paused");
    log.accept("alert " + record.key() + ": " + why);
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.interrupt();
    thread.join(10_000);
  }
}
