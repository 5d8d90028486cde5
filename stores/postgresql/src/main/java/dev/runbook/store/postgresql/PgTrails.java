package dev.runbook.store.postgresql;

import dev.runbook.engine.store.Lease;
import dev.runbook.engine.store.TrailStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Trails as rows of {@code trail_lines}: each line the exact bytes of the directory trail's line,
 * so the hash chain and signatures carry over and {@code audit export} writes a directory trail the
 * same verifier checks. Every write checks its fence in the same transaction.
 */
final class PgTrails implements TrailStore {

  private final PostgresStore store;

  PgTrails(PostgresStore store) {
    this.store = store;
  }

  @Override
  public void append(String runId, long seq, byte[] line, Lease fence) throws IOException {
    appendAll(runId, seq, List.of(line), Map.of(), null, fence);
  }

  /** Lines, files and head in one transaction, under one fence check. */
  @Override
  public void appendAll(
      String runId,
      long firstSeq,
      List<byte[]> lines,
      Map<String, byte[]> files,
      byte[] head,
      Lease fence)
      throws IOException {
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        if (fence != null) {
          PgLocks.check(c, fence);
        }
        long have;
        try (PreparedStatement s =
            c.prepareStatement("select coalesce(max(seq), 0) from trail_lines where run_id = ?")) {
          s.setString(1, runId);
          try (ResultSet r = s.executeQuery()) {
            r.next();
            have = r.getLong(1);
          }
        }
        boolean stored = false;
        if (!lines.isEmpty() && firstSeq != have + 1) {
          // The same lines again: a write whose commit reached the database although the answer
          // did not (it restarted meanwhile) is retried; it is done already, not a second writer.
          stored = have == firstSeq + lines.size() - 1 && sameLines(c, runId, firstSeq, lines);
          if (!stored) {
            throw new IOException(
                "run "
                    + runId
                    + ": line "
                    + firstSeq
                    + " is not the next one (the trail has "
                    + have
                    + ")");
          }
        }
        putFiles(c, runId, files);
        try (PreparedStatement s =
            c.prepareStatement("insert into trail_lines (run_id, seq, line) values (?, ?, ?)")) {
          long seq = firstSeq;
          for (byte[] line : stored ? List.<byte[]>of() : lines) {
            s.setString(1, runId);
            s.setLong(2, seq++);
            s.setBytes(3, line);
            s.addBatch();
          }
          s.executeBatch();
        }
        if (head != null) {
          putHead(c, runId, head);
        }
        c.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        rollback(c);
        throw e;
      }
    } catch (SQLException e) {
      // a unique violation here is a second writer that got the same line number first
      throw Sql.failure("append line " + firstSeq + " of run " + runId, e);
    }
  }

  /** Whether the run's lines from {@code firstSeq} on are these, byte for byte. */
  private static boolean sameLines(Connection c, String runId, long firstSeq, List<byte[]> lines)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select line from trail_lines where run_id = ? and seq >= ? order by seq")) {
      s.setString(1, runId);
      s.setLong(2, firstSeq);
      int i = 0;
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          if (i >= lines.size() || !Arrays.equals(r.getBytes(1), lines.get(i++))) {
            return false;
          }
        }
      }
      return i == lines.size();
    }
  }

  private static void putFiles(Connection c, String runId, Map<String, byte[]> files)
      throws SQLException {
    if (files.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into trail_files (run_id, name, content) values (?, ?, ?)"
                + " on conflict (run_id, name) do update set content = excluded.content")) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        s.setString(1, runId);
        s.setString(2, file.getKey());
        s.setBytes(3, file.getValue());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void putHead(Connection c, String runId, byte[] head) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into trail_heads (run_id, head) values (?, ?)"
                + " on conflict (run_id) do update set head = excluded.head")) {
      s.setString(1, runId);
      s.setBytes(2, head);
      s.executeUpdate();
    }
  }

  @Override
  public void putHead(String runId, byte[] head, Lease fence) throws IOException {
    appendAll(runId, 0, List.of(), Map.of(), head, fence);
  }

  @Override
  public void putFile(String runId, String name, byte[] content, Lease fence) throws IOException {
    appendAll(runId, 0, List.of(), Map.of(name, content), null, fence);
  }

  @Override
  public List<String> fileNames(String runId) throws IOException {
    return read(
        "list the files of run " + runId,
        "select name from trail_files where run_id = ? order by name",
        r -> r.getString(1),
        runId);
  }

  @Override
  public byte[] file(String runId, String name) throws IOException {
    return first(
        read(
            "read " + name + " of run " + runId,
            "select content from trail_files where run_id = ? and name = ?",
            r -> r.getBytes(1),
            runId,
            name));
  }

  @Override
  public long lineCount(String runId) throws IOException {
    return read(
            "count the lines of run " + runId,
            "select coalesce(max(seq), 0) from trail_lines where run_id = ?",
            r -> r.getLong(1),
            runId)
        .get(0);
  }

  @Override
  public List<byte[]> lines(String runId) throws IOException {
    return read(
        "read run " + runId,
        "select line from trail_lines where run_id = ? order by seq",
        r -> r.getBytes(1),
        runId);
  }

  @Override
  public byte[] head(String runId) throws IOException {
    return first(
        read(
            "read the head of run " + runId,
            "select head from trail_heads where run_id = ?",
            r -> r.getBytes(1),
            runId));
  }

  @Override
  public List<String> runIds() throws IOException {
    return read(
        "list the runs",
        "select run_id from trail_lines where seq = 1 order by run_id",
        r -> r.getString(1));
  }

  private interface Row<T> {
    T read(ResultSet row) throws SQLException;
  }

  private static <T> T first(List<T> rows) {
    return rows.isEmpty() ? null : rows.get(0);
  }

  /**
   * Runs a query and reads every row. Tried twice when the database cannot be reached: after a
   * restart of PostgreSQL the pool still holds connections the server closed, and the first
   * statement on each fails ({@code 57P01}); the pool drops such a connection, so the second try
   * gets a fresh one.
   */
  private <T> List<T> read(String what, String sql, Row<T> row, String... values)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = store.connection();
          PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < values.length; i++) {
          s.setString(i + 1, values[i]);
        }
        List<T> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            rows.add(row.read(r));
          }
        }
        return rows;
      } catch (SQLException e) {
        if (attempt == 1 && Sql.unavailable(e)) {
          continue;
        }
        throw Sql.failure(what, e);
      }
    }
  }

  static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken: the pool drops it, and the transaction dies with it
    }
  }
}
