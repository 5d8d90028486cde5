package dev.runbook.engine.execute;

import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Step;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a step list: runs a step, follows its branch, until an end, a return, a failure nothing
 * handles, or a pause. Every loop is bounded by the steps' {@code max_visits} (validation refuses
 * an unbounded cycle), and, as a last guard, by a cap on steps per list run.
 */
final class FlowRunner {

  /** A guard far above any real procedure; hitting it is a bug, reported as a failure. */
  private static final int MAX_STEPS_PER_LIST = 100_000;

  private final StepRunner steps;

  FlowRunner(RunContext run) {
    this.steps = new StepRunner(run, this);
  }

  Exit run(List<Step> list, Scope scope) throws InterruptedException {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      index.put(list.get(i).id(), i);
    }
    int position = 0;
    for (int count = 0; count < MAX_STEPS_PER_LIST; count++) {
      if (position >= list.size()) {
        return scope.inProcedure()
            ? new Exit.Return(true)
            : new Exit.End(Outcome.RESOLVED, "the last step is done");
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("run cancelled");
      }
      Step step = list.get(position);
      StepOutcome outcome = steps.run(step, scope);
      if (outcome.exit() != null) {
        return outcome.exit();
      }
      Branch branch = choose(step, outcome);
      if (!outcome.ok() && branch == null) {
        return new Exit.Failed(step.id(), outcome.failure());
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
        "?",
        dev.runbook.api.StepFailure.of(
            dev.runbook.api.FailureKind.LIMIT_REACHED,
            "more than " + MAX_STEPS_PER_LIST + " steps in one list: a loop did not end"));
  }

  /** The branch to follow, or null to fall through to the next step (or to fail, on failure). */
  private static Branch choose(Step step, StepOutcome outcome) {
    if (!outcome.ok()) {
      return step.onFailure();
    }
    if (outcome.value() != null && (step.yes() != null || step.no() != null)) {
      Branch branch = outcome.value() ? step.yes() : step.no();
      if (branch != null) {
        return branch;
      }
    }
    return step.next();
  }

  /** A branch as the trail names it. */
  static String describe(Branch branch) {
    if (branch == null) {
      return "next";
    }
    if (branch instanceof Branch.GoTo goTo) {
      return goTo.stepId();
    }
    if (branch instanceof Branch.EndRun end) {
      return "end: " + end.outcome().label();
    }
    return "return: " + (((Branch.Return) branch).value() ? "yes" : "no");
  }
}
