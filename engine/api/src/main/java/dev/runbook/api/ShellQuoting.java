package dev.runbook.api;

import java.util.List;
import java.util.regex.Pattern;

/** POSIX shell quoting, so a value is always one word and never code. */
public final class ShellQuoting {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private ShellQuoting() {}

  /**
   * The value as one shell word: left bare when it holds only characters the shell treats
   * literally, otherwise in single quotes with each embedded quote written as {@code '\''}.
   */
  public static String quote(String value) {
    if (!value.isEmpty() && SAFE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** The words quoted and joined by spaces. */
  public static String join(List<String> words) {
    StringBuilder line = new StringBuilder();
    for (String word : words) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(quote(word));
    }
    return line.toString();
  }
}
