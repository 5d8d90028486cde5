package dev.runbook.engine.model;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a step does; exactly one per step. */
public sealed interface StepKind {

  /** The word the format uses for the kind, for messages: {@code action}, {@code decision} … */
  String label();

  /**
   * A plugin action.
   *
   * @param action the action name
   * @param actionPosition where the action key is
   * @param inputs the inputs as written
   * @param changes {@code changes:} when given, else null (the action's default applies)
   * @param idempotent whether re-running after a crash is harmless
   * @param timeout the step's time limit (for a poll: the poll's deadline), or null for the default
   * @param retry attempts and delay
   * @param condition {@code if:} on the result, or null
   * @param until the poll condition, or null when the step is not a poll
   * @param every the poll interval, or null
   * @param exitCodes exit codes that count as success
   * @param secretOutput whether what the action prints is secret (keys it lists): masked in the
   *     console, the trail and the output files; conditions still read it
   */
  record ActionCall(
      String action,
      Position actionPosition,
      Map<String, InputValue> inputs,
      Boolean changes,
      boolean idempotent,
      Template timeout,
      Retry retry,
      Condition condition,
      Condition until,
      Template every,
      List<Integer> exitCodes,
      boolean secretOutput)
      implements StepKind {

    public ActionCall {
      Objects.requireNonNull(action, "action");
      inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
      Objects.requireNonNull(retry, "retry");
      exitCodes = List.copyOf(exitCodes);
    }

    public boolean isPoll() {
      return until != null;
    }

    @Override
    public String label() {
      return isPoll() ? "poll" : "action";
    }
  }

  /** {@code if:} alone: a CEL condition chooses {@code yes} or {@code no}. */
  record Decision(Condition condition) implements StepKind {
    @Override
    public String label() {
      return "decision";
    }
  }

  /**
   * {@code switch:}: a CEL expression's value, as text, selects one of the step's {@code cases}, or
   * {@code default}.
   */
  record Switch(Condition value) implements StepKind {
    @Override
    public String label() {
      return "switch";
    }
  }

  /** {@code sleep:}: wait a while, shown with progress. */
  record Sleep(Template duration) implements StepKind {
    @Override
    public String label() {
      return "wait";
    }
  }

  /**
   * {@code ask:}: a person answers yes or no, picks one of the step's {@code cases}, or gives the
   * value the step captures.
   *
   * @param capture the value the answer is ({@code capture:}), or null for a yes/no or a choice
   */
  record Ask(Template question, ParamSpec capture) implements StepKind {
    public Ask(Template question) {
      this(question, null);
    }

    @Override
    public String label() {
      return "question";
    }
  }

  /**
   * {@code manual:}: a person does something and confirms it is done, or gives the value it found.
   *
   * @param capture the value the person gives when it is done ({@code capture:}), or null
   */
  record Manual(Template instruction, ParamSpec capture) implements StepKind {
    public Manual(Template instruction) {
      this(instruction, null);
    }

    @Override
    public String label() {
      return "manual";
    }
  }

  /** The value an ask or a manual step captures, or null for any other step. */
  static ParamSpec captureOf(StepKind kind) {
    if (kind instanceof Ask ask) {
      return ask.capture();
    }
    return kind instanceof Manual manual ? manual.capture() : null;
  }

  /** {@code call:}: run a procedure with inputs. */
  record Call(String procedure, Position procedurePosition, Map<String, Template> with)
      implements StepKind {
    public Call {
      with = Collections.unmodifiableMap(new LinkedHashMap<>(with));
    }

    @Override
    public String label() {
      return "call";
    }
  }

  /**
   * {@code foreach:}: run a procedure once per item, {@code parallel} at a time.
   *
   * @param items a template that resolves to a comma-separated list, or the items as written
   * @param as the loop variable's name
   */
  record Foreach(
      List<Template> items,
      String as,
      int parallel,
      String procedure,
      Position procedurePosition,
      Map<String, Template> with)
      implements StepKind {
    public Foreach {
      items = List.copyOf(items);
      with = Collections.unmodifiableMap(new LinkedHashMap<>(with));
    }

    @Override
    public String label() {
      return "fan-out";
    }
  }

  /** {@code end:}: the run ends with an outcome. */
  record End(Outcome outcome, String message) implements StepKind {
    @Override
    public String label() {
      return "end";
    }
  }

  /** {@code return:}: the procedure ends with a value. */
  record Return(boolean value) implements StepKind {
    @Override
    public String label() {
      return "return";
    }
  }

  /**
   * A step whose kind could not be read (the problem is already reported). Kept so that its id,
   * branches and position still take part in validation and do not cause follow-on errors; a
   * runbook with problems never runs.
   */
  record Unreadable() implements StepKind {
    @Override
    public String label() {
      return "unreadable";
    }
  }

  /** The default time limit of an action step. */
  Duration DEFAULT_ACTION_TIMEOUT = Duration.ofMinutes(15);
}
