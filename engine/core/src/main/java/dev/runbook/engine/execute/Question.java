package dev.runbook.engine.execute;

/**
 * Something only a person can answer.
 *
 * @param step the step's path in the run
 * @param stepId the step's id, which {@code --answer STEP=yes} names
 * @param text the question or instruction, values filled in, secrets masked
 * @param kind what kind of answer is wanted
 */
public record Question(String step, String stepId, String text, Kind kind) {

  /** What a yes and a no mean. */
  public enum Kind {
    /** {@code ask:} yes or no. */
    YES_NO,
    /** {@code manual:} yes = done; no = not now (the run pauses). */
    CONFIRM,
    /**
     * A step that was cut off by a crash and is not idempotent: yes = run it again, no = count it
     * as failed.
     */
    IN_DOUBT
  }
}
