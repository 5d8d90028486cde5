package dev.runbook.engine.expr;

import dev.runbook.api.ShellQuoting;

/**
 * Tracks whether a position in a shell line is outside quotes, inside double quotes or inside
 * single quotes, so that an interpolated value is quoted the way that position needs. A runbook
 * author can then copy a vendor command as written, quotes and all, and still no value can break
 * out into code.
 */
final class ShellContext {

  private enum State {
    PLAIN,
    DOUBLE,
    SINGLE
  }

  private State state = State.PLAIN;
  private boolean escaped;

  /** Advances over literal text of the line. */
  void read(String literal) {
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (escaped) {
        escaped = false;
        continue;
      }
      switch (state) {
        case PLAIN -> {
          if (c == '\\') {
            escaped = true;
          } else if (c == '\'') {
            state = State.SINGLE;
          } else if (c == '"') {
            state = State.DOUBLE;
          }
        }
        case DOUBLE -> {
          if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            state = State.PLAIN;
          }
        }
        case SINGLE -> {
          if (c == '\'') {
            state = State.PLAIN;
          }
        }
      }
    }
  }

  /** The value written so that, at the current position, the shell reads it back literally. */
  String quote(String value) {
    return switch (state) {
      case PLAIN -> ShellQuoting.quote(value);
      case DOUBLE -> escapeForDoubleQuotes(value);
      // No escape exists inside single quotes: close them, add a quoted word, reopen them.
      case SINGLE -> "'" + ShellQuoting.quote(value) + "'";
    };
  }

  private static String escapeForDoubleQuotes(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '"' || c == '$' || c == '`') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
