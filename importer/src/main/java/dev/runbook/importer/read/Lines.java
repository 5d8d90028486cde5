package dev.runbook.importer.read;

import java.util.ArrayList;
import java.util.List;

/** Line helpers the block readers share: indentation, blank lines, dedenting. */
final class Lines {

  private Lines() {}

  /** The text as lines: tabs expanded to 8 columns, line ends of any kind, no control chars. */
  static List<String> of(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
      lines.add(clean(line));
    }
    return lines;
  }

  private static String clean(String line) {
    StringBuilder out = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\t') {
        do {
          out.append(' ');
        } while (out.length() % 8 != 0);
      } else if (c == '\u00a0') {
        out.append(' ');
      } else if (c >= ' ' || c == '\u0085') {
        out.append(c == '\u0085' ? ' ' : c);
      }
    }
    return out.toString().stripTrailing();
  }

  static boolean blank(String line) {
    return line.isBlank();
  }

  static int indent(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** The smallest indentation of the non-blank lines (0 when there are none). */
  static int minIndent(List<String> lines) {
    int min = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!blank(line)) {
        min = Math.min(min, indent(line));
      }
    }
    return min == Integer.MAX_VALUE ? 0 : min;
  }

  /** Removes up to {@code by} leading spaces from every line. */
  static List<String> dedent(List<String> lines, int by) {
    List<String> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      out.add(line.substring(Math.min(by, indent(line))));
    }
    return out;
  }

  static List<String> dedent(List<String> lines) {
    return dedent(lines, minIndent(lines));
  }

  /** The lines without blank lines at either end. */
  static List<String> trim(List<String> lines) {
    int from = 0;
    int to = lines.size();
    while (from < to && blank(lines.get(from))) {
      from++;
    }
    while (to > from && blank(lines.get(to - 1))) {
      to--;
    }
    return lines.subList(from, to);
  }
}
