package dev.runbook.engine.plan;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepFailure;
import dev.runbook.engine.PlannedStep;
import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.flow.Exit;
import dev.runbook.engine.flow.FlowWalker;
import dev.runbook.engine.flow.StepDriver;
import dev.runbook.engine.flow.StepOutcome;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dry run's step driver for {@code --assume}: the run's own {@link FlowWalker} follows the path
 * that the assumed answers select, while this driver describes each step instead of running it. A
 * decision without an answer pauses the walk there and says which answer is missing; a call takes
 * its procedure's return, a poll its success path, when not told otherwise.
 */
final class PathPreview implements StepDriver<PathPreview.Scope> {

  /** More steps than any path through a bounded graph needs; a guard, not a feature. */
  private static final int MAX_STEPS = 1000;

  /** Deeper than any sane runbook; procedures may not recurse, so this only guards bugs. */
  private static final int MAX_DEPTH = 8;

  /**
   * Where a list is walked: its steps (to name a fall-through), its bindings, where its planned
   * steps go, its own visit counts.
   */
  record Scope(
      List<Step> list,
      boolean inProcedure,
      Bindings bindings,
      List<PlannedStep> out,
      int depth,
      Map<String, Integer> visits) {

    Scope(
        List<Step> list, boolean inProcedure, Bindings bindings, List<PlannedStep> out, int depth) {
      this(list, inProcedure, bindings, out, depth, new HashMap<>());
    }
  }

  private final StepPreview preview;
  private final Map<String, String> assumptions;
  private final FlowWalker<Scope> walker = new FlowWalker<>(this, MAX_STEPS);

  /**
   * @param assumptions step id to {@code yes} or {@code no}, or to a case of a multi-way step (or
   *     {@code other}, its default)
   */
  PathPreview(StepPreview preview, Map<String, String> assumptions) {
    this.preview = preview;
    this.assumptions = assumptions;
  }

  /** Walks the main steps, adding each step on the path to {@code out}; how the path ends. */
  Exit walk(List<Step> steps, Bindings bindings, List<PlannedStep> out) {
    try {
      return walker.walk(steps, new Scope(steps, false, bindings, out, 0), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exit.Failed("?", StepFailure.of(FailureKind.INTERRUPTED, "interrupted"));
    }
  }

  @Override
  public StepOutcome step(Step step, Scope scope) throws InterruptedException {
    int visit = scope.visits().merge(step.id(), 1, Integer::sum);
    if (step.maxVisits() != null && visit > step.maxVisits()) {
      return StepOutcome.failure(
          StepFailure.of(
              FailureKind.LIMIT_REACHED,
              "it would run more than its max_visits (" + step.maxVisits() + ")"),
          Map.of());
    }
    List<PlannedStep> body = new ArrayList<>();
    Exit inner = null;
    Optional<Procedure> callee = preview.callee(step);
    if (callee.isPresent() && scope.depth() < MAX_DEPTH) {
      Bindings calleeBindings = preview.calleeBindings(step, callee.get(), scope.bindings());
      Scope calleeScope =
          new Scope(callee.get().steps(), true, calleeBindings, body, scope.depth() + 1);
      inner = walker.walk(callee.get().steps(), calleeScope, true);
    }
    int index = scope.list().indexOf(step);
    scope
        .out()
        .add(
            preview.plan(
                step,
                scope.bindings(),
                Planner.fallthrough(scope.list(), index, scope.inProcedure()),
                body));
    if (inner != null && !(inner instanceof Exit.Return)) {
      return StepOutcome.exit(inner);
    }
    StepKind kind = step.kind();
    if (kind instanceof StepKind.End end) {
      return StepOutcome.exit(new Exit.End(end.outcome(), end.message()));
    }
    if (kind instanceof StepKind.Return ret) {
      return StepOutcome.exit(new Exit.Return(ret.value()));
    }
    if (step.cases() != null) {
      String label = assumptions.get(step.id());
      if (label == null) {
        return StepOutcome.exit(
            new Exit.Paused(
                step.id(),
                "",
                "decide with --assume "
                    + step.id()
                    + "="
                    + String.join("|", step.cases().answers()),
                "one of " + String.join(", ", step.cases().answers())));
      }
      return StepOutcome.chose(label);
    }
    if (step.yes() == null && step.no() == null) {
      return StepOutcome.success(null, Map.of());
    }
    Boolean answer =
        assumptions.containsKey(step.id())
            ? Boolean.valueOf(assumptions.get(step.id()).equals("yes"))
            : defaultAnswer(step, inner instanceof Exit.Return r ? r.value() : null);
    if (answer == null) {
      return StepOutcome.exit(
          new Exit.Paused(
              step.id(),
              "",
              "decide with --assume " + step.id() + "=yes or --assume " + step.id() + "=no",
              "yes or no"));
    }
    return StepOutcome.success(answer, Map.of());
  }

  /** Without an answer: a call follows its procedure's return; a poll assumes success. */
  private static Boolean defaultAnswer(Step step, Boolean procedureValue) {
    if (procedureValue != null) {
      return procedureValue;
    }
    if (step.kind() instanceof StepKind.ActionCall call && call.isPoll()) {
      return Boolean.TRUE;
    }
    return null;
  }
}
