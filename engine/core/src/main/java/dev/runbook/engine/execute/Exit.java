package dev.runbook.engine.execute;

import dev.runbook.api.StepFailure;
import dev.runbook.engine.model.Outcome;

/** How a step list stopped running. */
sealed interface Exit {

  /** The run ends: an {@code end:} step or branch, or the main list ran out. */
  record End(Outcome outcome, String message) implements Exit {}

  /** A procedure returned yes or no. */
  record Return(boolean value) implements Exit {}

  /** A step failed and nothing in its list handled it; the caller's on_failure may. */
  record Failed(String step, StepFailure failure) implements Exit {}

  /**
   * A person must answer first.
   *
   * @param accepted what an answer may be: {@code yes or no}, {@code one of ntp, chrony}, {@code a
   *     host}
   * @param approval whether the run waits for a person to approve its first change
   */
  record Paused(String step, String question, String reason, String accepted, boolean approval)
      implements Exit {
    Paused(String step, String question, String reason, String accepted) {
      this(step, question, reason, accepted, false);
    }
  }
}
