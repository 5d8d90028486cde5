package dev.runbook.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.model.Condition;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Position;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

  private static final Expressions CEL = new Expressions();
  private static final ExpressionScope SCOPE =
      new ExpressionScope(Map.of("Host", ParamType.HOST, "Days", ParamType.INT), false, true);

  private static CompiledCondition compile(String expression) throws ConditionException {
    return CEL.compile(new Condition(expression, new Position("f", 4, 9)), SCOPE);
  }

  private static boolean eval(String expression, Map<String, Object> activation)
      throws ConditionException {
    return CEL.evaluate(compile(expression), activation);
  }

  @Test
  void evaluatesOnResultsAndTypedParameters() throws ConditionException {
    Map<String, Object> activation = new HashMap<>();
    activation.put("params.Host", "node-1");
    activation.put("params.Days", 30L);
    activation.put("result", Map.of("exitCode", 0L, "stdout", "12"));
    activation.put("steps", Map.of("read", Map.of("daysLeft", 10L)));
    assertThat(eval("result.exitCode == 0 && params.Host == 'node-1'", activation)).isTrue();
    assertThat(eval("int(result.stdout) > params.Days", activation)).isFalse();
    assertThat(eval("steps['read'].daysLeft <= params.Days", activation)).isTrue();
    assertThat(eval("result.stdout.startsWith('1')", activation)).isTrue();
  }

  @Test
  void misspeltParameterIsCaughtWithAHint() {
    assertThatThrownBy(() -> compile("params.Hots == 'x'"))
        .isInstanceOf(ConditionException.class)
        .satisfies(
            e ->
                assertThat(((ConditionException) e).problems().get(0).toString())
                    .isEqualTo(
                        "f:4:9: condition 'params.Hots == 'x'': unknown parameter 'Hots' (did you mean 'Host'?)"));
  }

  @Test
  void typeErrorsAreCaughtBeforeAnythingRuns() {
    assertThatThrownBy(() -> compile("params.Days == 'thirty'"))
        .isInstanceOf(ConditionException.class)
        .hasMessage(
            "f:4:21: condition 'params.Days == 'thirty'': '==' does not apply to (int, string)");
    assertThatThrownBy(() -> compile("1 + 1"))
        .isInstanceOf(ConditionException.class)
        .hasMessage("f:4:9: condition '1 + 1': the condition must be a bool, but it is an int");
  }

  @Test
  void syntaxErrorPointsIntoTheExpression() {
    assertThatThrownBy(() -> compile("result.exitCode == == 0"))
        .isInstanceOf(ConditionException.class)
        .satisfies(
            e ->
                assertThat(((ConditionException) e).problems().get(0).position().toString())
                    .isEqualTo("f:4:28"));
  }

  @Test
  void syntaxErrorsAreInPlainWords() {
    assertThat(firstProblem("result.exitCode =="))
        .isEqualTo(
            "f:4:27: condition 'result.exitCode ==': syntax error: unexpected end of condition");
    assertThat(firstProblem("(result.exitCode == 0"))
        .isEqualTo(
            "f:4:30: condition '(result.exitCode == 0': syntax error: missing ')' at the end of the"
                + " condition");
    assertThat(firstProblem("result.exitCode = 0"))
        .isEqualTo(
            "f:4:25: condition 'result.exitCode = 0': syntax error: unexpected '=' (did you mean"
                + " '=='?)");
  }

  @Test
  void unknownNamesAndFunctionsGetAHint() {
    assertThat(firstProblem("reslt.exitCode == 0"))
        .isEqualTo(
            "f:4:9: condition 'reslt.exitCode == 0': unknown name 'reslt' (did you mean"
                + " 'result'?); known names: params, steps, result");
    assertThat(firstProblem("sise(result.stdout) > 1"))
        .isEqualTo(
            "f:4:9: condition 'sise(result.stdout) > 1': unknown function 'sise' (did you mean"
                + " 'size'?)");
  }

  private static String firstProblem(String expression) {
    try {
      compile(expression);
      throw new AssertionError("expected a problem with " + expression);
    } catch (ConditionException e) {
      return e.problems().get(0).toString();
    }
  }

  @Test
  void evaluationErrorsAreReportedNotThrownRaw() throws ConditionException {
    CompiledCondition c = compile("result.missing == 1");
    assertThatThrownBy(() -> CEL.evaluate(c, Map.of("result", Map.of("exitCode", 0L))))
        .isInstanceOf(ConditionException.class)
        .hasMessageContaining("condition 'result.missing == 1' failed");
  }

  @Test
  void recordsTheNamesAConditionReads() throws ConditionException {
    assertThat(compile("result.exitCode == 0 && params.Host != ''").variables())
        .containsExactlyElementsOf(List.of("result", "params.Host"));
  }
}
