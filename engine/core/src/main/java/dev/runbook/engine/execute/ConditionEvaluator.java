package dev.runbook.engine.execute;

import dev.runbook.engine.expr.CompiledCondition;
import dev.runbook.engine.expr.ConditionException;
import dev.runbook.engine.expr.ExpressionScope;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.model.Captures;
import dev.runbook.engine.model.Condition;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates {@code if} and {@code until} conditions, and says which values each one read so the
 * trail can show why a branch was taken.
 */
final class ConditionEvaluator {

  private static final Pattern STEP_REF =
      Pattern.compile("\\bsteps(?:\\[\\s*['\"]([^'\"]+)['\"]\\s*\\]|\\.([A-Za-z0-9_]+))");
  private static final int VALUE_CHARS = 200;

  /** A condition's value and the values it read. */
  record Evaluation(boolean value, Map<String, Object> read) {}

  /** A switch's value, as text, and the values it read. */
  record Choice(String value, Map<String, Object> read) {}

  private final RunContext run;
  private final Map<String, Object> paramActivation;
  private final Map<String, ParamType> paramTypes = new LinkedHashMap<>();
  private final Map<String, ParamType> capturedTypes;
  private final Map<Condition, CompiledCondition> compiled = new ConcurrentHashMap<>();

  ConditionEvaluator(RunContext run, Map<String, Object> paramActivation) {
    this.run = run;
    this.paramActivation = Map.copyOf(paramActivation);
    for (ParamSpec param : run.runbook.params().values()) {
      paramTypes.put(param.name(), param.type());
    }
    this.capturedTypes = Captures.of(run.runbook).types();
  }

  Evaluation evaluate(Condition condition, Scope scope, Map<String, Object> result)
      throws ConditionException {
    CompiledCondition program =
        compiled.computeIfAbsent(condition, c -> compile(c, scope, result != null, false));
    Map<String, Object> activation = activation(scope, result);
    boolean value = run.expressions.evaluate(program, activation);
    return new Evaluation(value, read(program, activation));
  }

  /** A {@code switch:} value, as text, with what it read. */
  Choice choose(Condition value, Scope scope) throws ConditionException {
    CompiledCondition program =
        compiled.computeIfAbsent(value, c -> compile(c, scope, false, true));
    Map<String, Object> activation = activation(scope, null);
    String text = run.expressions.evaluateValue(program, activation);
    return new Choice(text, read(program, activation));
  }

  private Map<String, Object> activation(Scope scope, Map<String, Object> result) {
    Map<String, Object> activation = new HashMap<>(paramActivation);
    activation.put("steps", Map.copyOf(run.stepResults));
    run.captured.forEach(
        (name, value) -> {
          ParamType type = capturedTypes.getOrDefault(name, ParamType.STRING);
          activation.put(Expressions.CAPTURED + name, Expressions.paramValue(type, value.text()));
        });
    if (result != null) {
      activation.put("result", result);
    }
    if (scope.inProcedure()) {
      Map<String, Object> inputs = new LinkedHashMap<>();
      scope.bindings().inputs().forEach((k, v) -> inputs.put(k, v.text()));
      activation.put("inputs", inputs);
    }
    return activation;
  }

  private CompiledCondition compile(
      Condition condition, Scope scope, boolean hasResult, boolean value) {
    ExpressionScope names =
        new ExpressionScope(paramTypes, scope.inProcedure(), hasResult, capturedTypes);
    try {
      return value
          ? run.expressions.compileValue(condition, names, "switch '" + condition + "'")
          : run.expressions.compile(condition, names);
    } catch (ConditionException e) {
      // The validator compiled every condition before the run began.
      throw new IllegalStateException(
          "condition did not compile after validation: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> read(CompiledCondition program, Map<String, Object> activation) {
    Map<String, Object> read = new LinkedHashMap<>();
    String expression = program.condition().expression();
    for (String name : program.variables()) {
      if (name.equals("steps")) {
        Matcher m = STEP_REF.matcher(expression);
        while (m.find()) {
          String id = m.group(1) != null ? m.group(1) : m.group(2);
          Object value = run.stepResults.get(id);
          read.put("steps." + id, value == null ? null : JsonValues.excerpt(value, VALUE_CHARS));
        }
      } else if ((name.equals("result") || name.equals("inputs"))
          && activation.get(name) instanceof Map<?, ?> map) {
        // Only the fields the condition names: "result.exitCode = 1", not the whole result.
        Matcher m = Pattern.compile("\\b" + name + "\\.([A-Za-z0-9_]+)").matcher(expression);
        boolean any = false;
        while (m.find()) {
          read.put(name + "." + m.group(1), JsonValues.excerpt(map.get(m.group(1)), VALUE_CHARS));
          any = true;
        }
        if (!any) {
          read.put(name, JsonValues.excerpt(map, VALUE_CHARS));
        }
      } else if (activation.containsKey(name)) {
        read.put(name, JsonValues.excerpt(activation.get(name), VALUE_CHARS));
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> redacted = (Map<String, Object>) run.redactor.redactValue(read);
    return redacted;
  }
}
