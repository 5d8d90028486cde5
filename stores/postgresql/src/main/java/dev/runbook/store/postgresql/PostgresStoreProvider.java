package dev.runbook.store.postgresql;

import dev.runbook.engine.store.Store;
import dev.runbook.engine.store.StoreProvider;
import dev.runbook.engine.store.StoreUrl;
import java.io.IOException;

/** Opens {@code postgresql://} stores for {@code --store}; the password comes from PGPASSWORD. */
public final class PostgresStoreProvider implements StoreProvider {

  @Override
  public String scheme() {
    return "postgresql";
  }

  @Override
  public Store open(StoreUrl url) throws IOException {
    return PostgresStore.open(url, System.getenv("PGPASSWORD"), 8);
  }
}
