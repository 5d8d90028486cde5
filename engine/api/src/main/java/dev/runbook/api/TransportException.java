package dev.runbook.api;

import java.util.Objects;

/**
 * A transport failure with its {@link FailureKind}, decided where the library's exception is known.
 */
public class TransportException extends Exception {

  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  public TransportException(FailureKind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public TransportException(FailureKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public FailureKind kind() {
    return kind;
  }

  public StepFailure toFailure() {
    return StepFailure.of(kind, getMessage());
  }
}
