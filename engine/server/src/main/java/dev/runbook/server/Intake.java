package dev.runbook.server;

import dev.runbook.server.intake.Alert;
import dev.runbook.server.match.AlertRouter;
import dev.runbook.server.metrics.ServerMetrics;
import dev.runbook.server.queue.AlertQueue;
import dev.runbook.server.queue.AlertRecord;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes a batch of received alerts: a firing alert seen before (same key) is a re-send and attaches
 * to its run; a resolved one is recorded on its alert; a new one is routed and recorded, queued to
 * run when it selected a runbook, kept as unmatched or rejected when not. Everything is on disk
 * before {@link #receive} returns, and only then are workers told. All or nothing: when the queue
 * is full, nothing of the batch is recorded and the sender is asked to retry. With a shared queue,
 * telling the workers wakes this server's claim loop: the alert runs on whichever server claims it.
 *
 * <p>Thread-safe: batches are taken one at a time, so two copies of one alert sent at once still
 * make one run.
 */
final class Intake {

  /** What became of each alert of a batch, for the response. */
  record Receipt(boolean full, Map<String, String> outcomes, int queued) {}

  private final AlertRouter router;
  private final AlertQueue queue;
  private final Consumer<String> queuedAlert;
  private final ServerMetrics metrics;
  private final Clock clock;

  Intake(
      AlertRouter router,
      AlertQueue queue,
      Consumer<String> queuedAlert,
      ServerMetrics metrics,
      Clock clock) {
    this.router = router;
    this.queue = queue;
    this.queuedAlert = queuedAlert;
    this.metrics = metrics;
    this.clock = clock;
  }

  synchronized Receipt receive(List<Alert> alerts) throws IOException {
    List<AlertRecord> fresh = new ArrayList<>();
    List<String> resolved = new ArrayList<>();
    Map<String, String> outcomes = new LinkedHashMap<>();
    int duplicates = 0;
    for (Alert alert : alerts) {
      metrics.received(alert.source());
      AlertRecord known =
          queue
              .get(alert.key())
              .orElse(
                  fresh.stream().filter(r -> r.key().equals(alert.key())).findFirst().orElse(null));
      if (!alert.firing()) {
        if (known != null) {
          resolved.add(alert.key());
        }
        outcomes.put(alert.key(), known == null ? "resolved, never seen firing" : "resolved");
        continue;
      }
      if (known != null) {
        duplicates++;
        outcomes.put(
            alert.key(),
            "re-sent; it has "
                + (known.runId() != null ? "run " + known.runId() : "its run queued"));
        continue;
      }
      AlertRecord record = route(alert);
      fresh.add(record);
      outcomes.put(alert.key(), describe(record));
    }
    if (!fresh.isEmpty() && queue.admit(fresh) == AlertQueue.Admission.FULL) {
      metrics.turnedAway(alerts.size());
      return new Receipt(true, Map.of(), 0);
    }
    for (String key : resolved) {
      queue.resolved(key);
    }
    for (int i = 0; i < duplicates; i++) {
      metrics.deduplicated();
    }
    int queued = 0;
    for (AlertRecord record : fresh) {
      switch (record.state()) {
        case QUEUED -> {
          metrics.matched();
          queuedAlert.accept(record.key());
          queued++;
        }
        case REJECTED -> metrics.rejected();
        default -> metrics.unmatched();
      }
    }
    return new Receipt(false, outcomes, queued);
  }

  private AlertRecord route(Alert alert) {
    AlertRouter.Route route = router.route(alert);
    if (route instanceof AlertRouter.Route.Matched m) {
      return received(
          alert,
          AlertRecord.State.QUEUED,
          m.runbook().id(),
          m.values(),
          m.runbook().trigger().answerValues(),
          m.runbook().trigger().policy().label(),
          null);
    }
    if (route instanceof AlertRouter.Route.Rejected r) {
      return received(
          alert, AlertRecord.State.REJECTED, r.runbook(), Map.of(), Map.of(), null, r.reason());
    }
    return received(
        alert,
        AlertRecord.State.UNMATCHED,
        null,
        Map.of(),
        Map.of(),
        null,
        ((AlertRouter.Route.Unmatched) route).reason());
  }

  /** The record of an alert just received: no run yet, not resolved. */
  private AlertRecord received(
      Alert alert,
      AlertRecord.State state,
      String runbook,
      Map<String, String> values,
      Map<String, String> answers,
      String policy,
      String reason) {
    return new AlertRecord(
        alert.key(),
        alert.source(),
        alert.name(),
        alert.labels(),
        alert.api() == null ? null : alert.api().toString(),
        clock.instant(),
        state,
        runbook,
        values,
        answers,
        policy,
        null,
        null,
        reason,
        false);
  }

  private static String describe(AlertRecord record) {
    return switch (record.state()) {
      case QUEUED -> "queued: runbook " + record.runbook();
      case REJECTED -> "rejected: " + record.reason();
      default -> "unmatched: " + record.reason();
    };
  }
}
