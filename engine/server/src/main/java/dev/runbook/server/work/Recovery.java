package dev.runbook.server.work;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.server.queue.AlertQueue;
import dev.runbook.server.queue.AlertRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a starting server does with the alerts its last life left open, before it takes new ones:
 * every queued alert is run; a run that was going on is found by its trail (by the run id the queue
 * recorded, or, if the server was killed before recording it, by the alert's id in the trails'
 * {@code run.started}) and resumed under the crash rules, or recorded as ended or paused if its
 * trail says so; an alert whose run never started is run. So every accepted alert runs once.
 */
public final class Recovery {

  private final Path stateDir;
  private final AlertQueue queue;
  private final Dispatcher dispatcher;

  public Recovery(Path stateDir, AlertQueue queue, Dispatcher dispatcher) {
    this.stateDir = stateDir;
    this.queue = queue;
    this.dispatcher = dispatcher;
  }

  /** What was found: queued alerts offered again, runs resumed, runs found ended or paused. */
  public record Report(int queued, int resumed, int settled, int restarted) {}

  public Report recover() throws IOException {
    int queued = 0;
    int resumed = 0;
    int settled = 0;
    int restarted = 0;
    List<RunDirectory> runs = null;
    for (AlertRecord record : queue.all()) {
      if (record.state() == AlertRecord.State.QUEUED) {
        dispatcher.start(record.key());
        queued++;
        continue;
      }
      if (record.state() != AlertRecord.State.RUNNING) {
        continue;
      }
      AlertRecord current = record;
      Optional<RunDirectory> run = Optional.empty();
      if (record.runId() != null) {
        run =
            Optional.of(
                new RunDirectory(
                    record.runId(), RunDirectory.runsRoot(stateDir).resolve(record.runId())));
      } else {
        runs = runs == null ? RunSummary.runs(stateDir) : runs;
        run = startedFor(record.key(), runs);
        if (run.isPresent()) {
          current = record.withRun(run.get().runId());
          queue.update(current);
        }
      }
      if (run.isEmpty()) {
        // Killed before the run's first line was on disk: nothing of it ran.
        queue.update(current.with(AlertRecord.State.QUEUED));
        dispatcher.start(current.key());
        restarted++;
        continue;
      }
      List<AuditEvent> events = AuditTrail.read(run.get()).events();
      AuditEvent last = events.isEmpty() ? null : events.get(events.size() - 1);
      if (last instanceof AuditEvent.RunFinished finished) {
        queue.update(
            current.ended(AlertRecord.State.ENDED, finished.outcome().label(), finished.message()));
        settled++;
      } else if (last instanceof AuditEvent.Paused paused && !paused.wasStopped()) {
        queue.update(current.ended(AlertRecord.State.PAUSED, "paused", paused.reason()));
        settled++;
      } else if (events.isEmpty()) {
        queue.update(current.withRun(null).with(AlertRecord.State.QUEUED));
        dispatcher.start(current.key());
        restarted++;
      } else {
        dispatcher.resume(current.key(), List.of(), RunDriver.OPERATOR);
        resumed++;
      }
    }
    return new Report(queued, resumed, settled, restarted);
  }

  private static Optional<RunDirectory> startedFor(String key, List<RunDirectory> runs)
      throws IOException {
    for (RunDirectory run : runs) {
      List<AuditEvent> events = AuditTrail.read(run).events();
      if (!events.isEmpty()
          && events.get(0) instanceof AuditEvent.RunStarted started
          && started.trigger() != null
          && key.equals(started.trigger().id())) {
        return Optional.of(run);
      }
    }
    return Optional.empty();
  }
}
