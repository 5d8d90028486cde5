package dev.runbook.engine;

import dev.runbook.engine.model.Problem;
import java.util.List;

/**
 * The engine will not do what was asked, and why, typed so that every caller (the command line, the
 * alarm server) answers the same way: a usage error, a runbook that is unknown, claimed twice or
 * invalid, parameter values that do not fit their types, a lock another run holds, a run that
 * cannot be resumed. Nothing has run when this is thrown.
 */
public final class Refused extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the request was refused. */
  public enum Reason {
    /** A request that makes no sense: an unknown option value, a step that does not exist. */
    USAGE,
    /** No runbook answers to the name. */
    UNKNOWN_RUNBOOK,
    /** Two or more runbooks answer to the name: none may run. */
    AMBIGUOUS_RUNBOOK,
    /** The runbook has problems; {@link #problems()} lists them. */
    INVALID_RUNBOOK,
    /** Parameter values are missing or do not fit their types. */
    PARAMETERS,
    /** A plugin's setting is a mistake ({@code RUNBOOK_SSH_CONNECT_TIMEOUT=abc}). */
    SETTINGS,
    /** Another run holds the runbook's lock. */
    LOCK_HELD,
    /** The run cannot be resumed: finished, altered, busy, its runbook changed. */
    NOT_RESUMABLE
  }

  private final Reason reason;
  private final transient List<Problem> problems;

  public Refused(Reason reason, String message) {
    this(reason, message, List.of());
  }

  public Refused(Reason reason, String message, List<Problem> problems) {
    super(message);
    this.reason = reason;
    this.problems = List.copyOf(problems);
  }

  public Reason reason() {
    return reason;
  }

  /** The runbook's problems, for {@link Reason#INVALID_RUNBOOK}; empty otherwise. */
  public List<Problem> problems() {
    return problems;
  }
}
