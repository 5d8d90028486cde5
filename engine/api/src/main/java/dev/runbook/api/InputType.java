package dev.runbook.api;

/** How an input's value is checked and how {@code ${...}} interpolation renders into it. */
public enum InputType {
  /** Plain text; interpolated values are inserted as they are. */
  TEXT,
  /**
   * A shell script line, run by {@code /bin/sh -c}: the action receives a {@link ShellScript},
   * whose values are environment variables the line references, so no shell parses a value. A value
   * that begins a word may not start with {@code -} (it would be an option) unless its parameter
   * allows it or a {@code --} came before it.
   */
  SHELL,
  /**
   * A line of words for a program run without a shell (kubectl's arguments): split as a POSIX shell
   * splits words, each value always inside one word; shell syntax ({@code |}, {@code ;}, {@code
   * $(…)}) is refused. The action receives a {@code List} of words ({@code String}, or {@link
   * Secret} for a word holding one). A word that begins with a value may not start with {@code -},
   * as for {@link #SHELL}.
   */
  WORDS,
  /**
   * An argv given as a list, each item interpolated as text; a value that begins an item may not
   * start with {@code -}, as for {@link #SHELL}.
   */
  ARGV,
  /** A list of strings, each interpolated as text. */
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
