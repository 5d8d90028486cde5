package dev.runbook.server.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the server knows about one alert (one firing occurrence, by its key): what it selected, and
 * how far its run has gone. Immutable; every change is a new record, written to the queue before
 * the change is acted on.
 *
 * @param key the alert's key at its source (one firing alert is one run)
 * @param source {@code alertmanager} or {@code alarms}
 * @param alarm the alarm's name as received
 * @param labels the labels as received
 * @param api the source's API to ask whether the alert still fires, or null
 * @param received when the server accepted it
 * @param state where it is
 * @param runbook the runbook it selected, or null
 * @param values the parameter values its labels gave (checked), or empty
 * @param answers step id → yes/no the runbook's trigger says the alert answers
 * @param policy {@code approve}, {@code auto} or {@code plan}
 * @param runId the run it started, once known
 * @param outcome how the run ended ({@code resolved} …), or {@code paused}, or null
 * @param reason why it was not run (unmatched, rejected) or why the run stopped, or null
 * @param resolved whether a resolved (cleared) notification arrived for it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRecord(
    String key,
    String source,
    String alarm,
    Map<String, String> labels,
    String api,
    Instant received,
    State state,
    String runbook,
    Map<String, String> values,
    Map<String, String> answers,
    String policy,
    String runId,
    String outcome,
    String reason,
    boolean resolved) {

  public AlertRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    answers =
        answers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(answers));
  }

  /** Where an alert is. */
  public enum State {
    /** Accepted and durably recorded; waiting for a worker. */
    QUEUED,
    /** A worker took it: its run is starting or running (or was, when the server was killed). */
    RUNNING,
    /** Its run waits for a person (an approval, a question, a manual step). */
    PAUSED,
    /** Its run ended; {@link #outcome} says how. */
    ENDED,
    /** Its runbook's policy is plan: it got a dry-run plan, nothing ran. */
    PLANNED,
    /** No runbook answers to its name, or its labels do not satisfy the runbook's trigger. */
    UNMATCHED,
    /** A runbook answers to it, but its labels gave values that do not fit (nothing ran). */
    REJECTED;

    /** Whether the alert still has work ahead of it (on restart, these are driven again). */
    public boolean open() {
      return this == QUEUED || this == RUNNING;
    }

    public static final List<State> OPEN = List.of(QUEUED, RUNNING);
  }

  public AlertRecord with(State newState) {
    return new AlertRecord(
        key, source, alarm, labels, api, received, newState, runbook, values, answers, policy,
        runId, outcome, reason, resolved);
  }

  public AlertRecord withRun(String newRunId) {
    return new AlertRecord(
        key, source, alarm, labels, api, received, state, runbook, values, answers, policy,
        newRunId, outcome, reason, resolved);
  }

  public AlertRecord ended(State newState, String newOutcome, String newReason) {
    return new AlertRecord(
        key,
        source,
        alarm,
        labels,
        api,
        received,
        newState,
        runbook,
        values,
        answers,
        policy,
        runId,
        newOutcome,
        newReason,
        resolved);
  }

  public AlertRecord withResolved() {
    return new AlertRecord(
        key, source, alarm, labels, api, received, state, runbook, values, answers, policy, runId,
        outcome, reason, true);
  }
}
