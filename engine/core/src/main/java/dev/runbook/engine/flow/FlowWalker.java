package dev.runbook.engine.flow;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepFailure;
import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Step;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a step list, the one place that decides where flow goes: a step's outcome selects its
 * {@code yes}/{@code no}/{@code next}/{@code on_failure} branch or one of its {@code cases}, or the
 * next step in the list; the walk ends at an {@code end}, a {@code return}, a failure nothing
 * handles, or a pause. Every loop is bounded by the steps' {@code max_visits} (validation refuses
 * an unbounded cycle; the driver counts visits), and as a last guard by a cap on steps per walk.
 *
 * @param <S> the driver's scope
 */
public final class FlowWalker<S> {

  private final StepDriver<S> driver;
  private final int maxSteps;

  /**
   * @param maxSteps a guard far above any real procedure; reaching it ends the walk as failed
   */
  public FlowWalker(StepDriver<S> driver, int maxSteps) {
    this.driver = driver;
    this.maxSteps = maxSteps;
  }

  /**
   * Walks {@code list} from its first step.
   *
   * @param inProcedure whether running out of steps returns yes (a procedure) or resolves the run
   */
  public Exit walk(List<Step> list, S scope, boolean inProcedure) throws InterruptedException {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      index.put(list.get(i).id(), i);
    }
    int position = 0;
    for (int count = 0; count < maxSteps; count++) {
      if (position >= list.size()) {
        return ranOut(inProcedure);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("run cancelled");
      }
      Step step = list.get(position);
      StepOutcome outcome = driver.step(step, scope);
      Branch branch;
      if (outcome instanceof StepOutcome.Exited exited) {
        return exited.exit();
      } else if (outcome instanceof StepOutcome.Failed failed) {
        branch = step.onFailure();
        if (branch == null) {
          return new Exit.Failed(step.id(), failed.failure());
        }
      } else {
        branch = chosen(step, (StepOutcome.Succeeded) outcome);
      }
      if (branch == null) {
        position++;
      } else if (branch instanceof Branch.GoTo goTo) {
        position = index.get(goTo.stepId());
      } else if (branch instanceof Branch.EndRun end) {
        return new Exit.End(end.outcome(), end.message());
      } else {
        return new Exit.Return(((Branch.Return) branch).value());
      }
    }
    return new Exit.Failed(
        list.get(Math.min(position, list.size() - 1)).id(),
        StepFailure.of(
            FailureKind.LIMIT_REACHED,
            "more than " + maxSteps + " steps in one walk of a list: a loop did not end"));
  }

  /** How a list ends when it runs out of steps. */
  public static Exit ranOut(boolean inProcedure) {
    return inProcedure
        ? new Exit.Return(true)
        : new Exit.End(Outcome.RESOLVED, "the last step is done");
  }

  /**
   * The branch a succeeded step takes, or null to fall through: a multi-way step's case (or its
   * default); else its yes/no branch for its value, else its {@code next}.
   */
  public static Branch chosen(Step step, StepOutcome.Succeeded outcome) {
    if (step.cases() != null) {
      return step.cases().select(outcome.chosen());
    }
    return chosen(step, outcome.value());
  }

  /**
   * The branch a succeeded step takes, or null to fall through: its yes/no branch for its value,
   * else its {@code next}.
   */
  public static Branch chosen(Step step, Boolean value) {
    if (value != null) {
      Branch branch = value ? step.yes() : step.no();
      if (branch != null) {
        return branch;
      }
    }
    return step.next();
  }
}
