package dev.runbook.store.postgresql;

import dev.runbook.engine.store.FencedException;
import dev.runbook.engine.store.Lease;
import dev.runbook.engine.store.LockStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Leases in the {@code leases} table. Taking a key is one statement: insert, or take over a row
 * whose lease lapsed (by the database's clock), with the next generation from a sequence; so two
 * instances racing for one key cannot both win, and a generation is never reused.
 */
public final class PgLocks implements LockStore {

  static final String TAKE =
      "insert into leases as l (key, owner, generation, expires)"
          + " values (?, ?, nextval('lease_generation'), now() + ? * interval '1 millisecond')"
          + " on conflict (key) do update set owner = excluded.owner,"
          + " generation = excluded.generation, expires = excluded.expires"
          + " where l.expires < now()"
          + " returning generation, expires";

  private final PostgresStore store;

  PgLocks(PostgresStore store) {
    this.store = store;
  }

  @Override
  public Optional<Lease> tryAcquire(String key, String owner, Duration ttl) throws IOException {
    try (Connection c = store.connection()) {
      return take(c, key, owner, ttl);
    } catch (SQLException e) {
      throw Sql.failure("take the lease on " + key, e);
    }
  }

  static Optional<Lease> take(Connection c, String key, String owner, Duration ttl)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(TAKE)) {
      s.setString(1, key);
      s.setString(2, owner);
      s.setLong(3, ttl.toMillis());
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(new Lease(key, owner, r.getLong(1), r.getTimestamp(2).toInstant()))
            : Optional.empty();
      }
    }
  }

  @Override
  public Lease renew(Lease lease, Duration ttl) throws IOException {
    try (Connection c = store.connection();
        PreparedStatement s =
            c.prepareStatement(
                "update leases set expires = now() + ? * interval '1 millisecond'"
                    + " where key = ? and generation = ? returning expires")) {
      s.setLong(1, ttl.toMillis());
      s.setString(2, lease.key());
      s.setLong(3, lease.generation());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new FencedException(lease);
        }
        return new Lease(
            lease.key(), lease.owner(), lease.generation(), r.getTimestamp(1).toInstant());
      }
    } catch (SQLException e) {
      throw Sql.failure("renew the lease on " + lease.key(), e);
    }
  }

  @Override
  public void release(Lease lease) throws IOException {
    try (Connection c = store.connection();
        PreparedStatement s =
            c.prepareStatement("delete from leases where key = ? and generation = ?")) {
      s.setString(1, lease.key());
      s.setLong(2, lease.generation());
      s.executeUpdate();
    } catch (SQLException e) {
      throw Sql.failure("release the lease on " + lease.key(), e);
    }
  }

  @Override
  public Optional<Lease> holder(String key) throws IOException {
    try (Connection c = store.connection();
        PreparedStatement s =
            c.prepareStatement("select owner, generation, expires from leases where key = ?")) {
      s.setString(1, key);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(
                new Lease(key, r.getString(1), r.getLong(2), r.getTimestamp(3).toInstant()))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw Sql.failure("read the lease on " + key, e);
    }
  }

  /**
   * Checks, inside the caller's transaction, that {@code fence} is still the current lease on its
   * key, and holds the row (FOR SHARE) until the transaction ends, so that no takeover can commit
   * between the check and the caller's write.
   *
   * @throws FencedException when the key was taken over
   */
  static void check(Connection c, Lease fence) throws SQLException, FencedException {
    try (PreparedStatement s =
        c.prepareStatement("select 1 from leases where key = ? and generation = ? for share")) {
      s.setString(1, fence.key());
      s.setLong(2, fence.generation());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new FencedException(fence);
        }
      }
    }
  }
}
