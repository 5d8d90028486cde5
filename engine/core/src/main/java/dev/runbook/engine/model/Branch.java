package dev.runbook.engine.model;

/** Where flow goes after a step: another step, the end of the run, or back to the caller. */
public sealed interface Branch {

  Position position();

  /**
   * How the branch reads wherever it is shown (a plan, a decision in the trail, a graph's label):
   * {@code check_alarm}, {@code end: escalated (the alarm persists)}, {@code return: yes}.
   */
  String describe();

  /** {@code branch.describe()}, or {@code next} for none (the step falls through). */
  static String describe(Branch branch) {
    return branch == null ? "next" : branch.describe();
  }

  /** Go to the step with this id in the same step list. */
  record GoTo(String stepId, Position position) implements Branch {
    @Override
    public String describe() {
      return stepId;
    }
  }

  /** End the whole run with an outcome. */
  record EndRun(Outcome outcome, String message, Position position) implements Branch {
    @Override
    public String describe() {
      return "end: " + outcome.label() + (message == null ? "" : " (" + message + ")");
    }
  }

  /** Leave the procedure with a yes/no value (procedures only). */
  record Return(boolean value, Position position) implements Branch {
    @Override
    public String describe() {
      return "return: " + (value ? "yes" : "no");
    }
  }
}
