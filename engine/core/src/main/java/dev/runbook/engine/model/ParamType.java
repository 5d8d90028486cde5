package dev.runbook.engine.model;

import java.util.Locale;

/** The types a parameter or procedure input may have. */
public enum ParamType {
  STRING,
  HOST,
  HOSTS,
  PATH,
  INT,
  BOOL,
  DURATION,
  ENUM,
  /** Only for procedure inputs: the name of a target. */
  TARGET;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type with this label, or null. */
  public static ParamType fromLabel(String label) {
    for (ParamType type : values()) {
      if (type.label().equals(label)) {
        return type;
      }
    }
    return null;
  }
}
