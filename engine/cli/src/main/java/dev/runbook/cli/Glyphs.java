package dev.runbook.cli;

import java.nio.charset.Charset;

/**
 * The symbols the console draws with: {@code ✓ ✗ → │ ↳ …} where the locale can print them, ASCII
 * ({@code ok x -> | > ...}) where it cannot ({@code LC_ALL=C} under cron, systemd or a minimal
 * container, where the JVM would print each as {@code ?}).
 */
record Glyphs(String check, String cross, String arrow, String bar, String into, String ellipsis) {

  static final Glyphs UNICODE = new Glyphs("✓", "✗", "→", "│", "↳", "…");
  static final Glyphs ASCII = new Glyphs("ok", "x", "->", "|", ">", "...");

  /** The glyphs the standard output's encoding can print. */
  static Glyphs forConsole() {
    String encoding = System.getProperty("stdout.encoding");
    if (encoding == null) {
      encoding = System.getProperty("native.encoding", Charset.defaultCharset().name());
    }
    try {
      return Charset.forName(encoding).newEncoder().canEncode("✓✗→│↳…") ? UNICODE : ASCII;
    } catch (IllegalArgumentException e) {
      return ASCII;
    }
  }
}
