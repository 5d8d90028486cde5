package dev.runbook.cli;

/** A problem the user can fix, reported as one message and an exit code, never a stack trace. */
final class UserException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  UserException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
