package dev.runbook.engine.expr;

/**
 * A value a template can insert: its text, whether it is secret, and whether it may begin a word of
 * a command with {@code -} (only a parameter or input declared {@code allow_leading_dash: true}
 * may; any other such value would be read as an option). Secret values are masked in everything
 * shown and are redacted from output by value.
 */
public record Value(String text, boolean secret, boolean mayStartWithDash) {

  public Value(String text, boolean secret) {
    this(text, secret, false);
  }

  public static Value plain(String text) {
    return new Value(text, false);
  }

  public static Value secret(String text) {
    return new Value(text, true);
  }
}
