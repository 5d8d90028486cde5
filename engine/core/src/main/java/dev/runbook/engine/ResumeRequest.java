package dev.runbook.engine;

import dev.runbook.api.Alarm;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request to continue a run from its trail.
 *
 * @param runId the run id or a unique prefix of it
 * @param values secret parameters again (they are never recorded), parameters the run started
 *     without, and (with {@code retryFailed}) new values for recorded ones
 * @param answers answers given up front; an answer for the step the run paused at replaces the
 *     answer it paused on
 * @param interactive who is asked when no answer was given up front
 * @param lockWait how long to wait for a lock another run holds
 * @param retryFailed whether a run that ended failed runs its failed step again
 * @param who who resumes it
 * @param alarm the alarm that started the run, given again by the server that started it (the trail
 *     records what it was, not how to ask about it), or null
 */
public record ResumeRequest(
    String runId,
    Map<String, String> values,
    List<RunRequest.GivenAnswers> answers,
    Answerer interactive,
    Duration lockWait,
    boolean retryFailed,
    RunRequest.Operator who,
    Alarm alarm) {

  /** A run a person resumes: no alarm to ask about. */
  public ResumeRequest(
      String runId,
      Map<String, String> values,
      List<RunRequest.GivenAnswers> answers,
      Answerer interactive,
      Duration lockWait,
      boolean retryFailed,
      RunRequest.Operator who) {
    this(runId, values, answers, interactive, lockWait, retryFailed, who, null);
  }

  public ResumeRequest {
    Objects.requireNonNull(runId, "runId");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    answers = List.copyOf(answers);
    Objects.requireNonNull(interactive, "interactive");
    Objects.requireNonNull(lockWait, "lockWait");
    Objects.requireNonNull(who, "who");
  }
}
