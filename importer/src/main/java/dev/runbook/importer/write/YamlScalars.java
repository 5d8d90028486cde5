package dev.runbook.importer.write;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scalars written so that a YAML 1.2 reader gets back exactly the string: plain when that is safe,
 * double-quoted otherwise, a literal block for text of several lines.
 */
final class YamlScalars {

  private static final Pattern PLAIN =
      Pattern.compile("[A-Za-z_][A-Za-z0-9 _./()&'+-]*[A-Za-z0-9_./()&'+-]|[A-Za-z_]");
  private static final Set<String> RESERVED =
      Set.of("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~");

  private YamlScalars() {}

  /** A scalar for one line of a mapping or a flow collection. */
  static String inline(String value) {
    if (PLAIN.matcher(value).matches()
        && !RESERVED.contains(value.toLowerCase(Locale.ROOT))
        && !value.contains(" #")
        && !value.contains(": ")) {
      return value;
    }
    return quoted(value);
  }

  /** An alarm id: quoted when it is all digits, so that it stays a string ("12017"). */
  static String quotedIfNumber(String value) {
    return value.chars().allMatch(Character::isDigit) ? quoted(value) : inline(value);
  }

  static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * A value of a mapping key at {@code indent}: a literal block ({@code |-}) for text of several
   * lines that a block can hold exactly, else an inline scalar.
   */
  static String value(String value, int indent) {
    if (!value.contains("\n") || !blockSafe(value)) {
      return inline(value);
    }
    StringBuilder out = new StringBuilder("|-");
    String pad = " ".repeat(indent + 2);
    for (String line : value.split("\n", -1)) {
      out.append('\n');
      if (!line.isEmpty()) {
        out.append(pad).append(line);
      }
    }
    return out.toString();
  }

  private static boolean blockSafe(String value) {
    if (value.startsWith(" ") || value.endsWith("\n") || value.startsWith("\n")) {
      return false;
    }
    for (String line : value.split("\n", -1)) {
      if (line.endsWith(" ")) {
        return false;
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\n')
          || c == 0x7f
          || c == '\u0085'
          || c == '\u2028'
          || c == '\u2029'
          || c == '\ufeff') {
        return false;
      }
    }
    return true;
  }
}
