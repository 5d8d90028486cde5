package dev.runbook.engine;

import dev.runbook.api.Alarm;
import java.time.Duration;
import java.util.Collections;
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
 * @param approval whether a person must approve before the first step that changes the system
 *     (recorded in the trail, so a resumed run keeps it)
 * @param alarm the alarm that started the run (recorded in the trail; actions such as {@code
 *     alarm.cleared} ask about it), or null for a run a person started
 */
public record RunRequest(
    String runbook,
    Map<String, String> values,
    List<GivenAnswers> answers,
    Answerer interactive,
    Duration lockWait,
    Operator who,
    Approval approval,
    Alarm alarm) {

  public RunRequest {
    Objects.requireNonNull(runbook, "runbook");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    answers = List.copyOf(answers);
    Objects.requireNonNull(interactive, "interactive");
    Objects.requireNonNull(lockWait, "lockWait");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(approval, "approval");
  }

  /** A run a person starts: no approval gate, no alarm. */
  public RunRequest(
      String runbook,
      Map<String, String> values,
      List<GivenAnswers> answers,
      Answerer interactive,
      Duration lockWait,
      Operator who) {
    this(runbook, values, answers, interactive, lockWait, who, Approval.NONE, null);
  }

  /**
   * When a person must approve. The approval is asked like any question (kind {@link
   * Question.Kind#APPROVE}), so it is answered, recorded and paused on the same way: who approved
   * is in the trail.
   */
  public enum Approval {
    /** Every step runs as the runbook says. */
    NONE("none"),
    /** The run pauses before its first step that changes the system, until a person approves. */
    BEFORE_FIRST_CHANGE("before-first-change");

    private final String label;

    Approval(String label) {
      this.label = label;
    }

    /** As the trail records it. */
    public String label() {
      return label;
    }

    /** The approval a trail recorded (null: none). */
    public static Approval fromLabel(String label) {
      return BEFORE_FIRST_CHANGE.label.equals(label) ? BEFORE_FIRST_CHANGE : NONE;
    }
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
      byStep = Collections.unmodifiableMap(new LinkedHashMap<>(byStep));
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
