package dev.runbook.api;

/** How an input's value is checked and how {@code ${...}} interpolation renders into it. */
public enum InputType {
  /** Plain text; interpolated values are inserted as they are. */
  TEXT,
  /**
   * A shell script line, run by {@code /bin/sh -c}; every interpolated value is quoted for the
   * shell, so a parameter can never add a command.
   */
  SHELL,
  /** A list of strings, each interpolated as text (an argv needs no quoting). */
  LIST,
  /** A mapping of strings to strings, each value interpolated as text. */
  MAP,
  /** A whole number. */
  INT,
  /** {@code true} or {@code false}. */
  BOOL,
  /** A duration such as {@code 30s}, {@code 5m} or {@code 1h30m}. */
  DURATION,
  /** The name of a target declared in the runbook. */
  TARGET
}
