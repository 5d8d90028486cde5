package dev.runbook.store.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.runbook.engine.store.Store;
import dev.runbook.engine.store.StoreUrl;
import dev.runbook.engine.store.TrailStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * runbook's store in one PostgreSQL database, shared by every instance: trails, leases (locks and
 * alert runs) and the alert queue. Connections come from a HikariCP pool; the schema is brought up
 * to date by Flyway on open (its own history table and lock, so instances starting together migrate
 * once).
 */
public final class PostgresStore implements Store {

  private final StoreUrl url;
  private final HikariDataSource pool;
  private final PgTrails trails;
  private final PgLocks locks;

  private PostgresStore(StoreUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
    this.trails = new PgTrails(this);
    this.locks = new PgLocks(this);
  }

  /**
   * Connects and migrates the schema.
   *
   * @param password from {@code PGPASSWORD}, or null (trust, peer, or {@code .pgpass})
   * @param poolSize connections at most
   */
  public static PostgresStore open(StoreUrl url, String password, int poolSize) throws IOException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database());
    if (url.user() != null) {
      config.setUsername(url.user());
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    // A store that is down must be told quickly (the server answers 503), not waited for.
    config.setConnectionTimeout(2_000);
    config.setInitializationFailTimeout(-1);
    config.setPoolName("runbook-store");
    config.addDataSourceProperty("connectTimeout", "2");
    config.addDataSourceProperty("socketTimeout", "30");
    config.addDataSourceProperty("ApplicationName", "runbook");
    HikariDataSource pool = new HikariDataSource(config);
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/runbook")
          .table("runbook_schema_history")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw new IOException("cannot prepare the schema in " + url + ": " + rootMessage(e), e);
    }
    return new PostgresStore(url, pool);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null
        ? root.toString()
        : root.getMessage().lines().findFirst().orElse("");
  }

  DataSource dataSource() {
    return pool;
  }

  /**
   * A pooled connection, or {@link StoreUnavailableException} when the database cannot be reached.
   */
  Connection connection() throws IOException {
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw Sql.failure("connect to " + url, e);
    }
  }

  @Override
  public TrailStore trails() {
    return trails;
  }

  @Override
  public PgLocks locks() {
    return locks;
  }

  /** The alert queue in this database. */
  public PgAlertQueue queue(int limit) {
    return new PgAlertQueue(this, limit);
  }

  @Override
  public String describe() {
    return "PostgreSQL " + url;
  }

  @Override
  public void close() {
    pool.close();
  }
}
