package dev.runbook.engine.flow;

import dev.runbook.api.StepFailure;
import dev.runbook.engine.model.Outcome;

/** How a walk of a step list stopped: the same four ways for a run and for a dry run. */
public sealed interface Exit {

  /** How the end reads in a plan and a trail: {@code end: escalated (the alarm persists)}. */
  String describe();

  /** The run ends: an {@code end:} step or branch, or the main list ran out. */
  record End(Outcome outcome, String message) implements Exit {
    @Override
    public String describe() {
      return "end: " + outcome.label() + (message == null ? "" : " (" + message + ")");
    }
  }

  /** A procedure returned yes or no. */
  record Return(boolean value) implements Exit {
    @Override
    public String describe() {
      return "return: " + (value ? "yes" : "no");
    }
  }

  /** A step failed and nothing in its list handled it; the caller's on_failure may. */
  record Failed(String step, StepFailure failure) implements Exit {
    @Override
    public String describe() {
      return "stops: step '" + step + "' fails (" + failure.message() + ")";
    }
  }

  /**
   * A person must answer first (in a dry run: an answer the walk was not given).
   *
   * @param accepted what an answer may be: {@code yes or no}, {@code one of ntp, chrony}, {@code a
   *     host}
   * @param approval whether the run waits for a person to approve its first change
   */
  record Paused(String step, String question, String reason, String accepted, boolean approval)
      implements Exit {
    public Paused(String step, String question, String reason, String accepted) {
      this(step, question, reason, accepted, false);
    }

    @Override
    public String describe() {
      return "stops at '" + step + "': " + reason;
    }
  }
}
