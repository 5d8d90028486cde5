package dev.runbook.cli;

/**
 * Text from a run (a command's output, a parameter, an alert label) made safe to print on a
 * terminal: control characters ({@code ESC[2J}, OSC title sequences, a bell, a carriage return that
 * would overwrite the line) are shown as escapes ({@code \e[2J}) instead of being obeyed, and
 * characters that change what a reader sees without being seen themselves (bidi overrides,
 * zero-width spaces and joiners, the BOM) are shown as {@code <U+202E>}. A step therefore cannot
 * clear the screen or print a fake {@code RESOLVED}. The recorded bytes (the output files, the
 * trail) are kept exactly; only what is displayed is escaped.
 */
final class TerminalText {

  private TerminalText() {}

  static String safe(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacement(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        out.append(replacement != null ? replacement : String.valueOf(c));
      }
    }
    return out == null ? text : out.toString();
  }

  private static String replacement(char c) {
    if (c == '\t' || c == '\n') {
      return null;
    }
    if (c == 0x1b) {
      return "\\e";
    }
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
      return String.format("\\x%02x", (int) c);
    }
    if ((c >= 0x200b && c <= 0x200f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2060 && c <= 0x2069)
        || c == 0xfeff
        || c == 0x061c) {
      return String.format("<U+%04X>", (int) c);
    }
    return null;
  }
}
