package dev.runbook.cli;

/**
 * Text from a trail made safe to show: command output and parameters may hold terminal control
 * sequences (ESC[2J clears a screen, OSC sequences set a window title), bidi overrides that reorder
 * what a reader sees, and zero-width characters. Each is shown as a visible escape ({@code \x1b},
 * {@code \u202e}) and never interpreted. The recorded bytes stay as they were in the trail and the
 * output files; only what is shown changes.
 */
public final class Visible {

  private Visible() {}

  /** Whether {@code c} must be shown escaped (newline and tab are shown as they are). */
  public static boolean mustEscape(int c) {
    if (c == '\n' || c == '\t') {
      return false;
    }
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x200b && c <= 0x200f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2060 && c <= 0x2069)
        || c == 0x061c
        || c == 0xfeff;
  }

  /** The escape shown for {@code c}: {@code \x1b} below U+0100, else {@code \u202e}. */
  public static String escapeOf(int c) {
    return c < 0x100 ? String.format("\\x%02x", c) : String.format("\\u%04x", c);
  }

  /** {@code text} with every character that must be escaped shown as its escape. */
  public static String text(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (mustEscape(c)) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(escapeOf(c));
      } else if (out != null) {
        out.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    return out == null ? text : out.toString();
  }
}
