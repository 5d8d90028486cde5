package dev.runbook.engine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request to run a runbook.
 *
 * @param runbook a runbook id or one of its alarm ids
 * @param values parameter values as given (secrets resolved by the caller), checked by the engine
 * @param answers answers given up front, each source with how it was given ({@code --answer},
 *     {@code answers-file}, {@code api}); step names are checked before anything runs
 * @param interactive who is asked when no answer was given up front ({@link Answerer#NOBODY}: the
 *     run pauses)
 * @param lockWait how long to wait for a lock another run holds
 * @param who who runs it
 */
public record RunRequest(
    String runbook,
    Map<String, String> values,
    List<GivenAnswers> answers,
    Answerer interactive,
    Duration lockWait,
    Operator who) {

  public RunRequest {
    Objects.requireNonNull(runbook, "runbook");
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    answers = List.copyOf(answers);
    Objects.requireNonNull(interactive, "interactive");
    Objects.requireNonNull(lockWait, "lockWait");
    Objects.requireNonNull(who, "who");
  }

  /**
   * Answers given up front from one source.
   *
   * @param via how they were given, as the trail records it
   * @param byStep by step id or step path: the answer ({@code yes}, {@code no}, a case, a value)
   *     and a note or null
   */
  public record GivenAnswers(String via, Map<String, Answer> byStep) {
    public GivenAnswers {
      Objects.requireNonNull(via, "via");
      byStep = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byStep));
    }
  }

  /**
   * Who runs (or resumes, or answers): the name they give, and the OS account the engine runs as.
   */
  public record Operator(String name, String osUser) {
    public Operator {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(osUser, "osUser");
    }
  }
}
