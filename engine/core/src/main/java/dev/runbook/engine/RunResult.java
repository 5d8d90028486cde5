package dev.runbook.engine;

import dev.runbook.engine.model.Outcome;

/**
 * How a run (or a resumed run) stopped.
 *
 * @param runId the run's id
 * @param outcome the outcome, or null when the run paused
 * @param message why it ended or paused
 * @param pausedAt the step waiting for a person, or null
 * @param accepted what an answer to that step may be ({@code yes or no}), or null
 */
public record RunResult(
    String runId, Outcome outcome, String message, String pausedAt, String accepted) {

  public RunResult(String runId, Outcome outcome, String message, String pausedAt) {
    this(runId, outcome, message, pausedAt, null);
  }

  public boolean paused() {
    return outcome == null;
  }
}
