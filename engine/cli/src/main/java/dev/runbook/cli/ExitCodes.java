package dev.runbook.cli;

import dev.runbook.engine.Refused;

/**
 * The exit codes of {@code runbook}, documented in {@code docs/cli.md} and {@code runbook --help}.
 * Scripts and alert hooks rely on them: never renumber.
 */
public final class ExitCodes {

  /** The command did what was asked; a run ended {@code resolved}. */
  public static final int OK = 0;

  /** A bug in runbook itself; {@code --debug} shows the stack trace. */
  public static final int INTERNAL = 1;

  /** Wrong arguments: unknown command or runbook, a bad parameter value. */
  public static final int USAGE = 2;

  /** A runbook file has problems; every one is printed as file:line:column. */
  public static final int INVALID_RUNBOOK = 3;

  /** A run ended {@code failed}: a step failed and no branch handled it, or the runbook said so. */
  public static final int FAILED = 4;

  /** A run ended {@code escalated}: the procedure hands the problem to people. */
  public static final int ESCALATED = 5;

  /** A run paused for a person's answer; continue it with {@code runbook resume}. */
  public static final int PAUSED = 6;

  /** Another run holds the runbook's lock. */
  public static final int LOCKED = 7;

  /** {@code audit verify} found a trail that was altered or cut. */
  public static final int AUDIT_BROKEN = 8;

  /**
   * {@code audit verify} found nothing altered, but a trail's end was interrupted: a last line torn
   * by a crash or power loss, or lines a killed run wrote after its last head or signature.
   */
  public static final int AUDIT_TORN = 9;

  private ExitCodes() {}

  /** The exit code of a refusal: what the engine would not do, and why. */
  static int of(Refused.Reason reason) {
    return switch (reason) {
      case AMBIGUOUS_RUNBOOK, INVALID_RUNBOOK -> INVALID_RUNBOOK;
      case LOCK_HELD -> LOCKED;
      default -> USAGE;
    };
  }

  static final String HELP =
      "Exit codes: 0 ok/resolved, 1 internal error, 2 usage, 3 invalid runbook, 4 failed,"
          + " 5 escalated, 6 paused for a person, 7 lock held, 8 audit trail altered,"
          + " 9 audit trail torn by a crash.";
}
