package dev.runbook.engine.store;

import java.io.IOException;

/**
 * A write refused because the lease it was made under is no longer current: another instance took
 * the key over after the lease lapsed (this one was frozen, or cut off from the store). Whoever
 * gets this must stop writing for that key at once; nothing it wrote after the takeover was kept.
 */
public final class FencedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A lease this process no longer holds at all (dropped when its renewal was refused). */
  public FencedException(String message) {
    super(message);
  }

  public FencedException(Lease lease) {
    super(
        "lease on "
            + lease.key()
            + " (generation "
            + lease.generation()
            + ", held by "
            + lease.owner()
            + ") was taken over: this write is refused");
  }
}
