package dev.runbook.engine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a run ends. */
public enum Outcome {
  /** The alarm's cause was handled. */
  RESOLVED,
  /** The procedure handed the problem to people (the vendor's "contact O&M personnel"). */
  ESCALATED,
  /** A step failed, or the runbook said so. */
  FAILED;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The label, so that a message built with {@code + outcome} reads as the trail does. */
  @Override
  public String toString() {
    return label();
  }

  /** Reads a label as a trail writes it; anything else makes the line unreadable. */
  @JsonCreator
  public static Outcome of(String label) {
    Outcome outcome = fromLabel(label);
    if (outcome == null) {
      throw new IllegalArgumentException("not an outcome: " + label);
    }
    return outcome;
  }

  public static Outcome fromLabel(String label) {
    for (Outcome outcome : values()) {
      if (outcome.label().equals(label)) {
        return outcome;
      }
    }
    return null;
  }
}
