package dev.runbook.cli.report;

import dev.runbook.cli.Visible;

/**
 * HTML escaping for text from a trail: markup escaped, control and bidi characters made visible.
 */
final class Html {

  private Html() {}

  /** Text content or an attribute value: markup escaped, invisible characters shown as escapes. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (Visible.mustEscape(c)) {
            out.append("<span class=\"ctl\">").append(Visible.escapeOf(c)).append("</span>");
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    }
    return out.toString();
  }
}
