package dev.runbook.api;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What the engine lends an action while it executes one step. Deliberately narrow: an action never
 * sees the engine, the runbook or other steps.
 *
 * <p>Cancellation is the thread's interrupt flag: when it is set (run cancelled, step timeout), the
 * action stops its work and throws {@link InterruptedException}.
 */
public interface ActionContext {

  /** The transport for the step's target, opened and pooled by the engine; do not close it. */
  Transport transport() throws TransportException;

  /** Where the action streams output lines as they arrive; secrets are redacted downstream. */
  OutputSink output();

  /** The step's time limit, if it has one. */
  Optional<Duration> timeout();

  /** The engine's clock; use it instead of the system clock so tests can control time. */
  Clock clock();

  /** A directory private to this step attempt, for captured output that is too large to keep. */
  Path scratchDirectory();

  /**
   * Masks a value the action has just learned and that must never be recorded or shown: the data of
   * a Kubernetes Secret, a token a command printed. From this call on, the engine replaces it with
   * {@code ****} in every output line, result, message and event of the run, including lines the
   * action streams afterwards; so an action that reads secrets holds its output back until it has
   * called this. Conditions and later steps still see the real value. Thread-safe; blank values are
   * ignored.
   */
  void maskSecret(String value);

  /**
   * The alarm that started the run, or empty for a run a person started. Only actions that ask an
   * alarm source ({@code alarm.cleared}) need it.
   */
  default Optional<Alarm> alarm() {
    return Optional.empty();
  }
}
