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
}
