package dev.runbook.importer.map;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text as it goes into a runbook: titles, templates that must stay literal, end messages. */
final class Texts {

  /** What the engine would read as a runbook reference: {@code ${params.X}}, {@code ${a.b}}. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{\\s*[a-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_][A-Za-z0-9_.-]*)+\\s*\\}");

  private Texts() {}

  /** A step title: the first sentence, at most about 80 characters, cut at a word. */
  static String title(String text) {
    String first = text.strip().split("\n", 2)[0];
    Matcher sentence = Pattern.compile("^(.+?[.?!])(\\s|$)").matcher(first);
    if (sentence.find()) {
      first = sentence.group(1);
    }
    first = first.replaceAll("[.:]$", "").strip();
    if (first.length() <= 80) {
      return first;
    }
    int cut = first.lastIndexOf(' ', 77);
    return first.substring(0, cut > 40 ? cut : 77) + "…";
  }

  /**
   * Text for a field the engine reads as a template (shell, ask, manual): a {@code ${…}} that it
   * would take for a runbook reference, or one never closed, is written {@code $${…}} so the text
   * stays as the document wrote it.
   */
  static String literal(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("${", i)) {
        int close = text.indexOf('}', i);
        Matcher ref = close < 0 ? null : REFERENCE.matcher(text.substring(i, close + 1));
        if (close < 0 || ref.matches()) {
          out.append("$${");
          i += 2;
          continue;
        }
      }
      out.append(text.charAt(i++));
    }
    return out.toString();
  }

  /** An end's message: shown as written, so no {@code ${…}} at all ({@code $X} instead). */
  static String message(String text) {
    String m = text.strip().replaceAll("\\$\\{([^}]*)}", "\\$$1").replace("${", "$ {");
    if (!m.isEmpty()) {
      m = Character.toUpperCase(m.charAt(0)) + m.substring(1);
    }
    return m;
  }

  /** The sentence with a capital first letter and a full stop. */
  static String sentence(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      return s;
    }
    s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
    return s.matches("(?s).*[.?!:]$") ? s : s + ".";
  }
}
