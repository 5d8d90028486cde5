package dev.runbook.engine.model;

/**
 * A place in a runbook file, 1-based, as every message shows it: {@code file:line:column}.
 *
 * @param file the path as the user gave it
 * @param line 1-based line
 * @param column 1-based column
 */
public record Position(String file, int line, int column) {

  public static Position start(String file) {
    return new Position(file, 1, 1);
  }

  /** The position {@code columns} characters to the right on the same line. */
  public Position shifted(int columns) {
    return new Position(file, line, column + columns);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
