package dev.runbook.api;

import java.util.Objects;

/** Why a step failed: a {@link FailureKind} and a message a person can act on. */
public final class StepFailure {

  private final FailureKind kind;
  private final String message;

  private StepFailure(FailureKind kind, String message) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.message = Objects.requireNonNull(message, "message");
  }

  public static StepFailure of(FailureKind kind, String message) {
    return new StepFailure(kind, message);
  }

  public FailureKind kind() {
    return kind;
  }

  public String message() {
    return message;
  }

  /** Whether trying again could help; decided by the kind. */
  public boolean retryable() {
    return kind.retryable();
  }

  @Override
  public String toString() {
    return kind.label() + ": " + message;
  }
}
