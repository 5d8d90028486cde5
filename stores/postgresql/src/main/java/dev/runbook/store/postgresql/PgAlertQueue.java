package dev.runbook.store.postgresql;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.runbook.engine.store.Lease;
import dev.runbook.engine.store.StoreUnavailableException;
import dev.runbook.server.queue.AlertRecord;
import dev.runbook.server.queue.SharedQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The alert queue in PostgreSQL, shared by every instance. An instance takes work with {@link
 * #claim}: open alerts (queued, or running under a lease that lapsed) are locked {@code FOR UPDATE
 * SKIP LOCKED}, so instances claiming together take different alerts and none waits for another,
 * and each claimed alert gets a lease {@code alert:KEY} with a new generation. Every change the
 * holder then makes ({@link #update(AlertRecord, Lease)}) checks that generation in its
 * transaction: an instance whose lease was taken over cannot write.
 */
public final class PgAlertQueue implements SharedQueue {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Serializes admissions across instances, so the limit holds for all of them together. */
  private static final long ADMIT_LOCK = 0x72756e626f6f6bL; // "runbook"

  private final PostgresStore store;
  private final int limit;

  PgAlertQueue(PostgresStore store, int limit) {
    this.store = store;
    this.limit = limit;
  }

  /** The lease key of an alert's run. */
  public static String leaseKey(String alertKey) {
    return "alert:" + alertKey;
  }

  @Override
  public Admission admit(List<AlertRecord> records) throws IOException {
    long queued = records.stream().filter(r -> r.state() == AlertRecord.State.QUEUED).count();
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        if (queued > 0) {
          try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            s.setLong(1, ADMIT_LOCK);
            s.execute();
          }
          if (count(c, "select count(*) from alerts where state = 'QUEUED'") + queued > limit) {
            c.rollback();
            return Admission.FULL;
          }
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "insert into alerts (key, state, run_id, resolved, record)"
                    + " values (?, ?, ?, ?, ?::jsonb) on conflict (key) do nothing")) {
          for (AlertRecord record : records) {
            s.setString(1, record.key());
            s.setString(2, record.state().name());
            s.setString(3, record.runId());
            s.setBoolean(4, record.resolved());
            s.setString(5, JSON.writeValueAsString(record));
            s.addBatch();
          }
          s.executeBatch();
        }
        c.commit();
        return Admission.RECORDED;
      } catch (SQLException | IOException | RuntimeException e) {
        PgTrails.rollback(c);
        throw e;
      }
    } catch (SQLException e) {
      throw Sql.failure("record " + records.size() + " alerts", e);
    }
  }

  /**
   * Takes up to {@code max} open alerts for {@code owner}: queued ones, and running ones whose
   * lease lapsed (their instance died or froze), oldest first.
   */
  @Override
  public List<Claim> claim(String owner, Duration ttl, int max) throws IOException {
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        List<String[]> open = new ArrayList<>();
        try (PreparedStatement s =
            c.prepareStatement(
                "select a.key, a.state, l.owner from alerts a"
                    + " left join leases l on l.key = 'alert:' || a.key"
                    + " where a.state in ('QUEUED', 'RUNNING')"
                    + " and (l.key is null or l.expires < now())"
                    + " order by a.seq limit ? for update of a skip locked")) {
          s.setInt(1, max);
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              open.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
            }
          }
        }
        List<Claim> claims = new ArrayList<>();
        for (String[] row : open) {
          Optional<Lease> lease = PgLocks.take(c, leaseKey(row[0]), owner, ttl);
          if (lease.isPresent()) {
            AlertRecord record = read(c, row[0]).orElseThrow();
            boolean takenOver = "RUNNING".equals(row[1]);
            claims.add(new Claim(record, lease.get(), takenOver, takenOver ? row[2] : null));
          }
        }
        c.commit();
        return claims;
      } catch (SQLException | IOException | RuntimeException e) {
        PgTrails.rollback(c);
        throw e;
      }
    } catch (SQLException e) {
      throw Sql.failure("claim alerts", e);
    }
  }

  /** Takes one alert's lease (to resume a paused run on this instance), if nobody holds it. */
  @Override
  public Optional<Claim> claim(String key, String owner, Duration ttl) throws IOException {
    try (Connection c = store.connection()) {
      Optional<Lease> lease = PgLocks.take(c, leaseKey(key), owner, ttl);
      if (lease.isEmpty()) {
        return Optional.empty();
      }
      Optional<AlertRecord> record = read(c, key);
      return record.map(r -> new Claim(r, lease.get(), false, null));
    } catch (SQLException e) {
      throw Sql.failure("claim alert " + key, e);
    }
  }

  /**
   * Records a change of an alert whose run this instance drives, if its lease is still current.
   *
   * @throws dev.runbook.engine.store.FencedException when another instance took the alert over
   */
  @Override
  public void update(AlertRecord record, Lease fence) throws IOException {
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        // Rows are locked in the order claim() locks them, the alert before its lease: a claim
        // racing this update then finds the lease held and leaves the alert, where the other
        // order (lease, then alert) deadlocks with it (PostgresStoreIT saw it).
        try (PreparedStatement s =
            c.prepareStatement("select 1 from alerts where key = ? for update")) {
          s.setString(1, record.key());
          s.executeQuery().close();
        }
        PgLocks.check(c, fence);
        write(c, record);
        c.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        PgTrails.rollback(c);
        throw e;
      }
    } catch (SQLException e) {
      throw Sql.failure("record alert " + record.key(), e);
    }
  }

  @Override
  public void update(AlertRecord record) throws IOException {
    try (Connection c = store.connection()) {
      write(c, record);
    } catch (SQLException e) {
      throw Sql.failure("record alert " + record.key(), e);
    }
  }

  private static void write(Connection c, AlertRecord record) throws SQLException, IOException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into alerts (key, state, run_id, resolved, record)"
                + " values (?, ?, ?, ?, ?::jsonb) on conflict (key) do update set"
                + " state = excluded.state, run_id = excluded.run_id,"
                + " resolved = alerts.resolved or excluded.resolved, record = excluded.record")) {
      s.setString(1, record.key());
      s.setString(2, record.state().name());
      s.setString(3, record.runId());
      s.setBoolean(4, record.resolved());
      s.setString(5, JSON.writeValueAsString(record));
      s.executeUpdate();
    }
  }

  @Override
  public boolean resolved(String key) throws IOException {
    try (Connection c = store.connection();
        PreparedStatement s =
            c.prepareStatement("update alerts set resolved = true where key = ?")) {
      s.setString(1, key);
      return s.executeUpdate() > 0;
    } catch (SQLException e) {
      throw Sql.failure("record that alert " + key + " was resolved", e);
    }
  }

  @Override
  public Optional<AlertRecord> get(String key) {
    try (Connection c = store.connection()) {
      return read(c, key);
    } catch (SQLException e) {
      throw new UncheckedIOException(Sql.failure("read alert " + key, e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<AlertRecord> byRun(String runId) {
    List<AlertRecord> found = select("where run_id = ?", runId);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public List<AlertRecord> all() {
    return select("", null);
  }

  @Override
  public int waiting() {
    try (Connection c = store.connection()) {
      return (int) count(c, "select count(*) from alerts where state = 'QUEUED'");
    } catch (SQLException e) {
      throw new UncheckedIOException(Sql.failure("count the queue", e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public void close() {
    // the store owns the pool
  }

  private List<AlertRecord> select(String where, String value) {
    try (Connection c = store.connection();
        PreparedStatement s =
            c.prepareStatement("select record, resolved from alerts " + where + " order by seq")) {
      if (value != null) {
        s.setString(1, value);
      }
      List<AlertRecord> records = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          records.add(record(r));
        }
      }
      return records;
    } catch (SQLException e) {
      throw new UncheckedIOException(Sql.failure("read the alerts", e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<AlertRecord> read(Connection c, String key)
      throws SQLException, IOException {
    try (PreparedStatement s =
        c.prepareStatement("select record, resolved from alerts where key = ?")) {
      s.setString(1, key);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(record(r)) : Optional.empty();
      }
    }
  }

  private static AlertRecord record(ResultSet r) throws SQLException, IOException {
    AlertRecord record = JSON.readValue(r.getString(1), AlertRecord.class);
    return r.getBoolean(2) && !record.resolved() ? record.withResolved() : record;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Whether a failure means the database is out of reach (the server then answers 503). */
  public static boolean unavailable(Throwable e) {
    return e instanceof StoreUnavailableException
        || (e instanceof UncheckedIOException u
            && u.getCause() instanceof StoreUnavailableException);
  }
}
