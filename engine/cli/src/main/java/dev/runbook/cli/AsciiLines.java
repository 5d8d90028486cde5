package dev.runbook.cli;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Standard output or error where the locale cannot print the console's symbols ({@code LC_ALL=C}):
 * each is written as its ASCII stand-in ({@code ✓} as {@code ok}, {@code →} as {@code ->}), so
 * lines stay readable instead of turning into {@code ?}.
 */
final class AsciiLines extends PrintWriter {

  private static final Map<String, String> ASCII =
      Map.ofEntries(
          Map.entry("✓", "ok"),
          Map.entry("✗", "x"),
          Map.entry("→", "->"),
          Map.entry("←", "<-"),
          Map.entry("│", "|"),
          Map.entry("↳", ">"),
          Map.entry("…", "..."),
          Map.entry("·", "-"),
          Map.entry("—", "-"),
          Map.entry("–", "-"));

  AsciiLines(PrintWriter out) {
    super(out, true);
  }

  static String ascii(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (Map.Entry<String, String> glyph : ASCII.entrySet()) {
      if (result.contains(glyph.getKey())) {
        result = result.replace(glyph.getKey(), glyph.getValue());
      }
    }
    return result;
  }

  @Override
  public void print(String text) {
    super.print(ascii(text));
  }

  @Override
  public void println(String text) {
    super.println(ascii(text));
  }
}
