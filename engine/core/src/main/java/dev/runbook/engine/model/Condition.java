package dev.runbook.engine.model;

import java.util.Objects;

/**
 * A CEL expression as written, and where: compiled and type-checked by the validator, evaluated by
 * the engine.
 */
public record Condition(String expression, Position position) {

  public Condition {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(position, "position");
  }

  @Override
  public String toString() {
    return expression;
  }
}
