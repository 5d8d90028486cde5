package dev.runbook.engine;

import dev.runbook.engine.audit.AuditEvent;

/**
 * Observes a run. The audit trail and the console are both listeners; the engine itself prints
 * nothing. Calls come from the run's threads (several at once under {@code foreach parallel}), so
 * implementations are thread-safe. Everything a listener receives is already redacted.
 *
 * <p>Order: {@link #event} in the order documented on {@link AuditEvent}; {@link #output} lines of
 * a step between its {@code step.started} and {@code step.finished}; {@link #progress} during waits
 * and polls.
 */
public interface RunListener {

  default void event(AuditEvent event) {}

  /**
   * An event as the trail recorded it: {@code line} is its line in {@code events.jsonl}, with
   * {@code seq}, {@code time} and {@code prev}. By default the same as {@link #event}.
   */
  default void recorded(AuditEvent event, String line) {
    event(event);
  }

  /** A line of a step's output as it arrives. */
  default void output(String step, boolean stderr, String line) {}

  /** A progress line such as {@code waiting for cleared: 35s of 1m}. */
  default void progress(String step, String text) {}
}
