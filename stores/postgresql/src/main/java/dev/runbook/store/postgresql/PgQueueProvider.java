package dev.runbook.store.postgresql;

import dev.runbook.engine.store.Store;
import dev.runbook.server.queue.SharedQueue;
import dev.runbook.server.queue.SharedQueueProvider;
import java.util.Optional;

/** The alert queue of a PostgreSQL store, for {@code runbook serve --store postgresql://…}. */
public final class PgQueueProvider implements SharedQueueProvider {

  @Override
  public Optional<SharedQueue> queue(Store store, int limit) {
    return store instanceof PostgresStore pg ? Optional.of(pg.queue(limit)) : Optional.empty();
  }
}
