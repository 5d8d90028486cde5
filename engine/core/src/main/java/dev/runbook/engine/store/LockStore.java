package dev.runbook.engine.store;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Leases on keys, across processes (and, in a shared store, across machines). A lease lapses when
 * its holder stops renewing it, so a lock held by a dead process is freed without anyone's help.
 *
 * <p>Implementations are thread-safe.
 */
public interface LockStore {

  /**
   * Takes the key if nobody holds it or its lease has lapsed.
   *
   * @return the lease, or empty when someone else holds it
   */
  Optional<Lease> tryAcquire(String key, String owner, Duration ttl) throws IOException;

  /**
   * Extends a lease still held.
   *
   * @return the renewed lease
   * @throws FencedException when the key was taken over (the lease lapsed and someone took it)
   */
  Lease renew(Lease lease, Duration ttl) throws IOException;

  /** Gives the key up; nothing happens when it was taken over meanwhile. */
  void release(Lease lease) throws IOException;

  /** The lease on the key now, if any (lapsed or not). */
  Optional<Lease> holder(String key) throws IOException;
}
