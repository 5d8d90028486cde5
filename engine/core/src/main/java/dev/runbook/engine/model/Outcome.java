package dev.runbook.engine.model;

import java.util.Locale;

/** How a run ends. */
public enum Outcome {
  /** The alarm's cause was handled. */
  RESOLVED,
  /** The procedure handed the problem to people (the vendor's "contact O&M personnel"). */
  ESCALATED,
  /** A step failed, or the runbook said so. */
  FAILED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
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
