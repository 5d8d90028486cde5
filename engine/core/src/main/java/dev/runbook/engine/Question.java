package dev.runbook.engine;

import dev.runbook.engine.model.ParamSpec;
import java.util.List;
import java.util.Objects;

/**
 * Something only a person can answer.
 *
 * @param step the step's path in the run
 * @param stepId the step's id, which {@code --answer STEP=yes} names
 * @param text the question or instruction, values filled in, secrets masked
 * @param kind what kind of answer is wanted
 * @param choices the cases of a {@link Kind#CHOICE}; empty otherwise
 * @param capture the type of the value a {@link Kind#VALUE} captures; null otherwise
 */
public record Question(
    String step, String stepId, String text, Kind kind, List<String> choices, ParamSpec capture) {

  public Question {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(stepId, "stepId");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(kind, "kind");
    choices = List.copyOf(choices);
  }

  public Question(String step, String stepId, String text, Kind kind) {
    this(step, stepId, text, kind, List.of(), null);
  }

  /** What an answer may be, for the message that says how to give one. */
  public String accepted() {
    return switch (kind) {
      case CHOICE -> "one of " + String.join(", ", choices);
      case VALUE ->
          "a "
              + capture.type().label()
              + (capture.pattern() == null ? "" : " matching " + capture.pattern());
      default -> "yes or no";
    };
  }

  /** What a yes and a no mean. */
  public enum Kind {
    /** {@code ask:} yes or no. */
    YES_NO,
    /** {@code manual:} yes = done; no = not now (the run pauses). */
    CONFIRM,
    /**
     * A step that was cut off by a crash and is not idempotent: yes = run it again, no = count it
     * as failed.
     */
    IN_DOUBT,
    /**
     * The run's policy wants a person to approve before the first step that changes the system: yes
     * = go ahead (this and every later change of the run), no = do not; the run ends escalated.
     */
    APPROVE,
    /** {@code ask:} with {@code choices}: one of them. */
    CHOICE,
    /** A step with {@code capture:}: a value of the captured type. */
    VALUE
  }
}
