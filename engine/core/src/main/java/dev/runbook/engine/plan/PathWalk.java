package dev.runbook.engine.plan;

import dev.runbook.engine.PlannedStep;
import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows the one path that {@code --assume} answers select. A decision without an answer stops the
 * walk and says which answer is missing; polls and calls without one take their success path.
 */
final class PathWalk {

  /** More steps than any path through a bounded graph needs; a guard, not a feature. */
  private static final int MAX_STEPS = 1000;

  private final StepPreview preview;
  private final Map<String, Boolean> assumptions;
  private int walked;

  PathWalk(StepPreview preview, Map<String, Boolean> assumptions) {
    this.preview = preview;
    this.assumptions = assumptions;
  }

  /** How a walk ended. */
  record End(String kind, boolean value, String text) {
    String describe() {
      return text;
    }
  }

  End walk(
      List<Step> steps, boolean inProcedure, Bindings bindings, List<PlannedStep> out, int depth) {
    Map<String, Integer> visits = new HashMap<>();
    int index = 0;
    while (walked++ < MAX_STEPS) {
      if (index >= steps.size()) {
        return inProcedure
            ? new End("return", true, "return: yes")
            : new End("end", true, "end: resolved (the last step is done)");
      }
      Step step = steps.get(index);
      int visit = visits.merge(step.id(), 1, Integer::sum);
      if (step.maxVisits() != null && visit > step.maxVisits()) {
        return new End(
            "stop",
            false,
            "stops: step '"
                + step.id()
                + "' would run more than its max_visits ("
                + step.maxVisits()
                + "), so the run fails there");
      }
      List<PlannedStep> body = new ArrayList<>();
      Boolean value = null;
      End inner = null;
      Optional<Procedure> callee = preview.callee(step);
      if (callee.isPresent()) {
        Bindings calleeBindings = preview.calleeBindings(step, callee.get(), bindings);
        inner = walk(callee.get().steps(), true, calleeBindings, body, depth + 1);
        if (inner.kind().equals("return")) {
          value = inner.value();
        }
      }
      out.add(preview.plan(step, bindings, Planner.fallthrough(steps, index, inProcedure), body));
      if (inner != null && !inner.kind().equals("return")) {
        return inner;
      }
      StepKind kind = step.kind();
      if (kind instanceof StepKind.End end) {
        return new End(
            "end",
            true,
            "end: "
                + end.outcome().label()
                + (end.message() == null ? "" : " (" + end.message() + ")"));
      }
      if (kind instanceof StepKind.Return ret) {
        return new End("return", ret.value(), "return: " + (ret.value() ? "yes" : "no"));
      }
      Branch chosen;
      if (step.yes() != null || step.no() != null) {
        Boolean answer =
            assumptions.containsKey(step.id())
                ? assumptions.get(step.id())
                : defaultAnswer(step, value);
        if (answer == null) {
          return new End(
              "stop",
              false,
              "stops at '"
                  + step.id()
                  + "': decide with --assume "
                  + step.id()
                  + "=yes or --assume "
                  + step.id()
                  + "=no");
        }
        chosen = answer ? step.yes() : step.no();
      } else {
        chosen = step.next();
      }
      if (chosen == null) {
        index++;
        continue;
      }
      if (chosen instanceof Branch.EndRun end) {
        return new End("end", true, Planner.describe(end));
      }
      if (chosen instanceof Branch.Return ret) {
        return new End("return", ret.value(), Planner.describe(ret));
      }
      String target = ((Branch.GoTo) chosen).stepId();
      index = indexOf(steps, target);
    }
    return new End("stop", false, "stops: the path is longer than " + MAX_STEPS + " steps");
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

  private static int indexOf(List<Step> steps, String id) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).id().equals(id)) {
        return i;
      }
    }
    throw new IllegalStateException("validated runbook has no step " + id);
  }
}
