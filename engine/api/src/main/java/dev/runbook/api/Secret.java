package dev.runbook.api;

import java.util.Objects;

/**
 * A value that must never be shown: {@link #toString()} is {@code ****}, or for a text that only
 * contains a secret (a command line with a password in it), that text with the secret masked. Only
 * {@link #reveal()} gives the value, and only code that hands it to the target system calls it.
 */
public final class Secret {

  public static final String MASK = "****";

  private final String value;
  private final String display;

  public Secret(String value) {
    this(value, MASK);
  }

  private Secret(String value, String display) {
    this.value = Objects.requireNonNull(value, "value");
    this.display = Objects.requireNonNull(display, "display");
  }

  /**
   * A text that holds secrets: {@code value} is the real text, {@code masked} what may be shown.
   */
  public static Secret within(String value, String masked) {
    return new Secret(value, masked);
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return display;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
