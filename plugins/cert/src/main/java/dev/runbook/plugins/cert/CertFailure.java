package dev.runbook.plugins.cert;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepFailure;
import dev.runbook.api.TransportException;

/**
 * A classified reason to stop an action, thrown from deep helpers and turned into {@link
 * dev.runbook.api.StepResult#failed} at the action's edge.
 */
final class CertFailure extends Exception {

  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  CertFailure(FailureKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  CertFailure(FailureKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** A transport's failure, passed through with its own kind and message. */
  static CertFailure of(TransportException e) {
    return new CertFailure(e.kind(), e.getMessage(), e);
  }

  StepFailure toFailure() {
    return StepFailure.of(kind, getMessage());
  }
}
