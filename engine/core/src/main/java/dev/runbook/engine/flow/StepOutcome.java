package dev.runbook.engine.flow;

import dev.runbook.api.StepFailure;
import dev.runbook.engine.audit.AuditEvent;
import java.util.Map;

/**
 * What one step gave the walk: it succeeded (with its yes/no value when it has one), it failed, or
 * it ended its list (an end, a return, a pause). An action's outcome also carries what it did:
 * where it ran, its exit code, its output; the trail's {@code step.finished} is written from it.
 */
public sealed interface StepOutcome {

  /**
   * What an action did, for the trail: nothing for other kinds of step.
   *
   * @param ranOn where the action's commands ran (its transport, once connected), or null
   * @param exitCode the process's exit code when there was one
   * @param output the output file of the last attempt, or null
   */
  record Execution(String ranOn, Long exitCode, AuditEvent.OutputRecord output) {
    public static final Execution NONE = new Execution(null, null, null);
  }

  /**
   * The step did what it should; {@code value} is its yes/no when it has one, {@code chosen} the
   * case a multi-way step chose ({@link dev.runbook.engine.model.Cases#OTHER} or any value that is
   * no case: its {@code default}).
   */
  record Succeeded(Boolean value, Map<String, Object> data, Execution execution, String chosen)
      implements StepOutcome {
    public Succeeded {
      data = data == null ? Map.of() : data;
      execution = execution == null ? Execution.NONE : execution;
    }

    public Succeeded(Boolean value, Map<String, Object> data, Execution execution) {
      this(value, data, execution, null);
    }

    public Succeeded withValue(Boolean newValue) {
      return new Succeeded(newValue, data, execution, chosen);
    }
  }

  /** The key under which a multi-way step's result keeps the case it chose. */
  String CASE = "case";

  /**
   * A multi-way step chose {@code label}; the result keeps it ({@code case}), so the trail's {@code
   * step.finished} records it and a resumed run takes the same branch.
   */
  static Succeeded chose(String label) {
    return new Succeeded(null, Map.of(CASE, label), Execution.NONE, label);
  }

  /** The step failed; its {@code on_failure} may handle it. */
  record Failed(StepFailure failure, Map<String, Object> data, Execution execution)
      implements StepOutcome {
    public Failed {
      data = data == null ? Map.of() : data;
      execution = execution == null ? Execution.NONE : execution;
    }
  }

  /** The step ends its list: an end, a return, a pause. */
  record Exited(Exit exit) implements StepOutcome {}

  static Succeeded success(Boolean value, Map<String, Object> data) {
    return new Succeeded(value, data, Execution.NONE);
  }

  static Failed failure(StepFailure failure, Map<String, Object> data) {
    return new Failed(failure, data, Execution.NONE);
  }

  static Exited exit(Exit exit) {
    return new Exited(exit);
  }

  /**
   * What a call step gives when its procedure's walk ended: a return is the step's yes/no, a
   * failure inside is the step's failure (naming the inner step), an end or a pause ends the caller
   * too.
   */
  static StepOutcome ofProcedure(Exit exit) {
    if (exit instanceof Exit.Return r) {
      return success(r.value(), Map.of());
    }
    if (exit instanceof Exit.Failed f) {
      return failure(
          StepFailure.of(f.failure().kind(), "in " + f.step() + ": " + f.failure().message()),
          Map.of());
    }
    return exit(exit);
  }

  /** The result data (empty for an exit). */
  default Map<String, Object> data() {
    if (this instanceof Succeeded s) {
      return s.data();
    }
    return this instanceof Failed f ? f.data() : Map.of();
  }

  /** What the action did ({@link Execution#NONE} for other steps and exits). */
  default Execution execution() {
    if (this instanceof Succeeded s) {
      return s.execution();
    }
    return this instanceof Failed f ? f.execution() : Execution.NONE;
  }
}
