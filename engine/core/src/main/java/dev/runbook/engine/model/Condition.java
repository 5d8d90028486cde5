package dev.runbook.engine.model;

import java.util.Objects;

/**
 * A CEL expression as written, and where: compiled and type-checked by the validator, evaluated by
 * the engine.
 *
 * @param expression the CEL text as YAML read it
 * @param position where the expression starts in the file
 * @param source where each character of the expression is (a block scalar spans lines)
 */
public record Condition(String expression, Position position, SourceMap source) {

  public Condition {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(source, "source");
  }

  /** A condition written on one line, starting at {@code position}. */
  public Condition(String expression, Position position) {
    this(expression, position, SourceMap.at(position));
  }

  /** Where the character at {@code offset} of the expression is in the file. */
  public Position positionOf(int offset) {
    return source.positionOf(offset);
  }

  @Override
  public String toString() {
    return expression;
  }
}
