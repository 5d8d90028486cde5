package dev.runbook.plugins.alarm;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.Alarm;
import dev.runbook.api.FailureKind;
import dev.runbook.api.InputType;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.StepFailure;
import dev.runbook.api.StepResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code alarm.cleared}: whether the alarm that started the run is cleared, as its source says:
 * Alertmanager's API v2 when the alert came from Alertmanager (it is cleared when Alertmanager no
 * longer lists it as firing), else the resolved notification the server received. With {@code
 * within}, it asks again every {@code every} until the alarm is cleared or the time is up.
 *
 * <p>A run a person started has no alarm source: the result then says {@code known: false}, so the
 * runbook can fall back to its own clearing rule or to asking the person ({@code if:
 * result.known}).
 *
 * <p>Result: {@code known} (a source answered), {@code cleared}, {@code firing} (matching alerts
 * still firing at the last check), {@code checks}, {@code source}.
 */
final class AlarmClearedAction implements Action {

  private static final Duration DEFAULT_EVERY = Duration.ofSeconds(10);

  private final AlertmanagerApi alertmanager;

  AlarmClearedAction(AlertmanagerApi alertmanager) {
    this.alertmanager = alertmanager;
  }

  private static final ActionDescriptor DESCRIPTOR =
      ActionDescriptor.builder(
              "alarm.cleared",
              "asks the alarm source whether the alarm that started the run is cleared")
          .optional(
              "within",
              InputType.DURATION,
              "keep asking until the alarm is cleared or this much time has passed (default: ask"
                  + " once)")
          .optional("every", InputType.DURATION, "how often to ask (default 10s)")
          .optional(
              "matchers",
              InputType.MAP,
              "labels to look for instead of the alarm's own (cleared when no firing alert has"
                  + " them all)")
          .changesByDefault(false)
          .build();

  @Override
  public ActionDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public PlannedAction preview(ActionRequest request) {
    Duration within = (Duration) request.inputs().get("within");
    return new PlannedAction(
        "the alarm source",
        "ask whether "
            + (request.inputs().containsKey("matchers")
                ? "alerts with " + request.masked("matchers")
                : "the alarm that started the run")
            + " still fire"
            + (request.inputs().containsKey("matchers") ? "" : "s")
            + (within == null || within.isZero()
                ? ""
                : ", again every "
                    + every(request).toSeconds()
                    + "s for up to "
                    + within.toSeconds()
                    + "s")
            + " (a run without an alarm source: known = false)",
        false);
  }

  @Override
  public StepResult execute(ActionRequest request, ActionContext context)
      throws InterruptedException {
    Optional<Alarm> alarm = context.alarm();
    if (alarm.isEmpty()) {
      context.output().stdout("no alarm source: this run was not started by an alert");
      return StepResult.succeeded(result(false, false, 0, 0, "none"));
    }
    Duration within = (Duration) request.inputs().getOrDefault("within", Duration.ZERO);
    Instant deadline = context.clock().instant().plus(within);
    Map<String, String> matchers = matchers(request, alarm.get());
    String source =
        alarm.get().api().map(u -> "alertmanager " + u).orElse("notifications received");
    int checks = 0;
    while (true) {
      checks++;
      int firing;
      try {
        firing = firing(alarm.get(), matchers, request.inputs().containsKey("matchers"));
      } catch (IOException e) {
        return StepResult.failed(failure(e, source), result(false, false, 0, checks, source));
      }
      context
          .output()
          .stdout(
              source
                  + ": "
                  + (firing == 0 ? "cleared" : firing + " matching alert(s) still firing"));
      if (firing == 0) {
        return StepResult.succeeded(result(true, true, 0, checks, source));
      }
      Duration left = Duration.between(context.clock().instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        return StepResult.succeeded(result(true, false, firing, checks, source));
      }
      Duration every = every(request);
      Thread.sleep(Math.max(1, Math.min(every.toMillis(), left.toMillis())));
    }
  }

  /** Matching alerts that fire now; the run's own alarm counts only with exactly its labels. */
  private int firing(Alarm alarm, Map<String, String> matchers, boolean explicit)
      throws IOException, InterruptedException {
    Optional<URI> api = alarm.api();
    if (api.isEmpty()) {
      return alarm.resolved() ? 0 : 1;
    }
    List<Map<String, String>> alerts = alertmanager.firing(api.get(), matchers);
    if (explicit) {
      return alerts.size();
    }
    return (int) alerts.stream().filter(labels -> labels.equals(alarm.labels())).count();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> matchers(ActionRequest request, Alarm alarm) {
    Object given = request.inputs().get("matchers");
    if (given instanceof Map<?, ?> map) {
      Map<String, String> matchers = new LinkedHashMap<>();
      map.forEach((k, v) -> matchers.put(String.valueOf(k), String.valueOf(v)));
      return matchers;
    }
    return alarm.labels();
  }

  private static Duration every(ActionRequest request) {
    Object every = request.inputs().get("every");
    return every instanceof Duration d && !d.isZero() && !d.isNegative() ? d : DEFAULT_EVERY;
  }

  private static StepFailure failure(IOException e, String source) {
    FailureKind kind =
        e instanceof ConnectException
            ? FailureKind.CONNECT
            : e instanceof HttpTimeoutException ? FailureKind.TIMEOUT : FailureKind.CONNECT;
    if (e instanceof AlertmanagerApi.ApiException) {
      kind = FailureKind.PLUGIN_ERROR;
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return StepFailure.of(kind, "could not ask " + source + ": " + why);
  }

  private static Map<String, Object> result(
      boolean known, boolean cleared, long firing, long checks, String source) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("known", known);
    data.put("cleared", cleared);
    data.put("firing", firing);
    data.put("checks", (long) checks);
    data.put("source", source);
    return data;
  }
}
