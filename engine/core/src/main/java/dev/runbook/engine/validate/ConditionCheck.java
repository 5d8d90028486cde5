package dev.runbook.engine.validate;

import dev.runbook.engine.expr.ConditionException;
import dev.runbook.engine.expr.ExpressionScope;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.model.Captures;
import dev.runbook.engine.model.Condition;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.parse.Suggestions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code if} and {@code until} compiles and type-checks as a bool, every {@code switch} as a
 * value to compare with its cases, and each names real steps.
 */
final class ConditionCheck {

  private static final Pattern STEP_REF =
      Pattern.compile("\\bsteps(?:\\[\\s*['\"]([^'\"]+)['\"]\\s*\\]|\\.([A-Za-z0-9_]+))");

  private final Expressions expressions;
  private final Map<String, ParamType> paramTypes = new LinkedHashMap<>();
  private final Map<String, ParamType> capturedTypes;
  private final Set<String> allStepIds;
  private final List<Problem> problems;

  ConditionCheck(
      Expressions expressions,
      Runbook runbook,
      Captures captures,
      Set<String> allStepIds,
      List<Problem> problems) {
    this.expressions = expressions;
    this.capturedTypes = captures.types();
    for (ParamSpec param : runbook.params().values()) {
      paramTypes.put(param.name(), param.type());
    }
    this.allStepIds = allStepIds;
    this.problems = problems;
  }

  void check(Step step, StepList list) {
    if (step.kind() instanceof StepKind.Decision decision) {
      check(step, "if", decision.condition(), list, false);
    } else if (step.kind() instanceof StepKind.Switch choice) {
      check(step, "switch", choice.value(), list, false);
    } else if (step.kind() instanceof StepKind.ActionCall action) {
      check(step, "if", action.condition(), list, true);
      check(step, "until", action.until(), list, true);
    }
  }

  private void check(Step step, String key, Condition condition, StepList list, boolean hasResult) {
    if (condition == null) {
      return;
    }
    String subject = "step '" + step.id() + "': '" + key + "'";
    try {
      ExpressionScope scope =
          new ExpressionScope(paramTypes, list.inProcedure(), hasResult, capturedTypes);
      if (key.equals("switch")) {
        expressions.compileValue(condition, scope, subject);
      } else {
        expressions.compile(condition, scope, subject);
      }
    } catch (ConditionException e) {
      problems.addAll(e.problems());
    }
    Matcher m = STEP_REF.matcher(condition.expression());
    while (m.find()) {
      String id = m.group(1) != null ? m.group(1) : m.group(2);
      if (!allStepIds.contains(id)) {
        problems.add(
            new Problem(
                condition.positionOf(m.start()),
                subject + ": no step '" + id + "'" + Suggestions.hint(id, allStepIds)));
      }
    }
  }
}
