package dev.runbook.server.queue;

import dev.runbook.engine.store.Store;
import java.util.Optional;

/**
 * Finds the shared alert queue kept in a store (found with {@link java.util.ServiceLoader}): the
 * module of a store, such as runbook-store-postgresql, provides one for its kind of store, so the
 * server itself never depends on a database driver.
 */
public interface SharedQueueProvider {

  /**
   * The alert queue in this store, or empty when the store is not one this provider knows.
   *
   * @param limit how many alerts may wait, across every server, before new ones get 503
   */
  Optional<SharedQueue> queue(Store store, int limit);
}
