package dev.runbook.engine.expr;

/**
 * A value a template can insert: its text and whether it is secret. Secret values are masked in
 * everything shown and are redacted from output by value.
 */
public record Value(String text, boolean secret) {

  public static Value plain(String text) {
    return new Value(text, false);
  }

  public static Value secret(String text) {
    return new Value(text, true);
  }
}
