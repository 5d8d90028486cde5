package dev.runbook.testkit;

/**
 * The engine's process dies here, as with SIGKILL: thrown by a scripted action ({@link
 * ScriptedAction.Reply#crash()}) or by {@link FakeTime#crashAtSleep}. It is an {@link Error}, so
 * the engine does not record it as a step's failure: nothing more reaches the trail, and the run is
 * left as a killed process leaves it (the step started and never finished), ready for {@code
 * resume}. The locks are released, as the operating system releases a dead process's locks.
 *
 * <p>Only for sequential steps: in a {@code foreach} with {@code parallel}, a worker's error is the
 * fan-out's, not the process's.
 */
public final class SimulatedCrash extends Error {
  private static final long serialVersionUID = 1L;

  public SimulatedCrash(String message) {
    super(message);
  }
}
