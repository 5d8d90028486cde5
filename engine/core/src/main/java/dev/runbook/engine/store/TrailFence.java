package dev.runbook.engine.store;

import dev.runbook.api.Alarm;

/**
 * The lease a run's writes to the shared store are made under: {@code runbook serve} fences a run
 * by the lease on the alert it runs for, so a server whose alert was taken over cannot add to the
 * run's trail any more. A run a person started (no alarm) is not fenced.
 */
@FunctionalInterface
public interface TrailFence {

  /**
   * The lease held now for the alarm's run.
   *
   * @throws FencedException when this process no longer holds it (another took it over)
   */
  Lease lease(Alarm alarm) throws FencedException;

  /** No fence: the run's writes are not tied to a lease. */
  TrailFence NONE = alarm -> null;
}
