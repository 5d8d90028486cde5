package dev.runbook.engine.model;

import java.util.Comparator;
import java.util.Objects;

/** One thing wrong with a runbook, where it is and what it is. */
public record Problem(Position position, String message) {

  public static final Comparator<Problem> BY_POSITION =
      Comparator.comparing((Problem p) -> p.position().file())
          .thenComparingInt(p -> p.position().line())
          .thenComparingInt(p -> p.position().column())
          .thenComparing(Problem::message);

  public Problem {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return position + ": " + message;
  }
}
