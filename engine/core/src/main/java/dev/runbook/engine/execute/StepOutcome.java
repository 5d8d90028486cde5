package dev.runbook.engine.execute;

import dev.runbook.api.StepFailure;
import java.util.Map;

/**
 * What running one step gave: success or failure, its yes/no value when it has one, its result
 * data, and an exit when the step ends its list (end, return, pause, a procedure's failure).
 */
record StepOutcome(
    boolean ok,
    Boolean value,
    Map<String, Object> data,
    StepFailure failure,
    Exit exit,
    Long exitCode) {

  static StepOutcome success(Boolean value, Map<String, Object> data) {
    return new StepOutcome(true, value, data, null, null, exitCode(data));
  }

  static StepOutcome failure(StepFailure failure, Map<String, Object> data) {
    return new StepOutcome(false, null, data, failure, null, exitCode(data));
  }

  static StepOutcome exit(Exit exit) {
    return new StepOutcome(true, null, Map.of(), null, exit, null);
  }

  StepOutcome withValue(Boolean newValue) {
    return new StepOutcome(ok, newValue, data, failure, exit, exitCode);
  }

  private static Long exitCode(Map<String, Object> data) {
    return data != null && data.get("exitCode") instanceof Number n ? n.longValue() : null;
  }
}
