package dev.runbook.engine.model;

/** Where flow goes after a step: another step, the end of the run, or back to the caller. */
public sealed interface Branch {

  Position position();

  /** Go to the step with this id in the same step list. */
  record GoTo(String stepId, Position position) implements Branch {}

  /** End the whole run with an outcome. */
  record EndRun(Outcome outcome, String message, Position position) implements Branch {}

  /** Leave the procedure with a yes/no value (procedures only). */
  record Return(boolean value, Position position) implements Branch {}
}
