package dev.runbook.engine.expr;

import dev.runbook.engine.model.Problem;
import java.util.List;

/** A condition that does not compile, or failed to evaluate. */
public final class ConditionException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public ConditionException(List<Problem> problems) {
    super(problems.isEmpty() ? "condition failed" : problems.get(0).toString());
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
