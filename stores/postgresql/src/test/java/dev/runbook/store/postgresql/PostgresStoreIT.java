package dev.runbook.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditLog;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.store.DirectoryStore;
import dev.runbook.engine.store.FencedException;
import dev.runbook.engine.store.Lease;
import dev.runbook.engine.store.StoreUnavailableException;
import dev.runbook.engine.store.StoreUrl;
import dev.runbook.engine.store.TrailExport;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.postgresql.PostgresServer;
import dev.runbook.server.queue.AlertQueue;
import dev.runbook.server.queue.AlertRecord;
import dev.runbook.server.queue.SharedQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL store against a real PostgreSQL 15 (Debian's package), started by the test fixture
 * on a loopback port: two stores opened on it stand for two instances of runbook serve.
 */
class PostgresStoreIT {

  private static final Duration SHORT = Duration.ofMillis(800);
  private static final Duration LONG = Duration.ofSeconds(60);

  private static PostgresServer pg;
  private static PostgresStore a;
  private static PostgresStore b;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        PostgresServer.installed(), "PostgreSQL 15 is not installed (run-tests installs it)");
    pg = PostgresServer.start();
    a = PostgresStore.open(StoreUrl.parse(pg.url()), null, 4);
    b = PostgresStore.open(StoreUrl.parse(pg.url()), null, 4);
  }

  @AfterAll
  static void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static AlertRecord queued(String key) {
    return new AlertRecord(
        key,
        "alarms",
        "ALM-1",
        Map.of("host", "a"),
        null,
        Instant.now(),
        AlertRecord.State.QUEUED,
        "ALM-1",
        Map.of(),
        Map.of(),
        "auto",
        null,
        null,
        null,
        false);
  }

  private static List<AlertRecord> batch(String prefix, int n) {
    List<AlertRecord> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(queued(prefix + "-" + i));
    }
    return records;
  }

  private static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** Claims everything this test admitted, from two instances at once; returns keys by owner. */
  @Test
  void twoInstancesClaimingTogetherTakeEachAlertExactlyOnce() throws Exception {
    String prefix = "once-" + unique();
    PgAlertQueue qa = a.queue(10_000);
    PgAlertQueue qb = b.queue(10_000);
    assertThat(qa.admit(batch(prefix, 200))).isEqualTo(AlertQueue.Admission.RECORDED);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> takers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        PgAlertQueue q = i % 2 == 0 ? qa : qb;
        String owner = "instance-" + i;
        Callable<List<String>> take =
            () -> {
              List<String> mine = new ArrayList<>();
              for (int round = 0; round < 500; round++) {
                List<SharedQueue.Claim> claims = q.claim(owner, LONG, 7);
                if (claims.isEmpty()) {
                  break;
                }
                for (SharedQueue.Claim claim : claims) {
                  mine.add(claim.record().key());
                  q.update(
                      claim.record().ended(AlertRecord.State.ENDED, "resolved", null),
                      claim.lease());
                }
              }
              return mine;
            };
        takers.add(pool.submit(take));
      }
      List<String> all = new ArrayList<>();
      for (Future<List<String>> taker : takers) {
        all.addAll(taker.get(120, TimeUnit.SECONDS));
      }
      List<String> ours = all.stream().filter(k -> k.startsWith(prefix)).toList();
      assertThat(ours).hasSize(200).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAlertIsAdmittedOnceThoughTwoInstancesRecordIt() throws Exception {
    String key = "dup-" + unique();
    a.queue(100).admit(List.of(queued(key)));
    b.queue(100).admit(List.of(queued(key)));
    assertThat(a.queue(100).all().stream().filter(r -> r.key().equals(key))).hasSize(1);
  }

  @Test
  void aLapsedLeaseIsTakenOverWithAHigherGenerationAndTheOldHolderIsFenced() throws Exception {
    String key = "lapse-" + unique();
    PgAlertQueue qa = a.queue(10_000);
    PgAlertQueue qb = b.queue(10_000);
    qa.admit(List.of(queued(key)));
    SharedQueue.Claim first = claimOne(qa, "frozen", key, SHORT);
    qa.update(first.record().with(AlertRecord.State.RUNNING), first.lease());
    assertThat(claimOne(qb, "other", key, LONG)).as("taken while the lease holds").isNull();

    SharedQueue.Claim[] second = new SharedQueue.Claim[1];
    Eventually.within(
        Duration.ofSeconds(20),
        "the lease to lapse and instance b to take the alert over",
        () -> {
          try {
            return (second[0] = claimOne(qb, "other", key, LONG)) != null;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    assertThat(second[0].takenOver()).isTrue();
    assertThat(second[0].lease().generation()).isGreaterThan(first.lease().generation());

    // The frozen instance wakes up (SIGCONT) and tries to go on: every write is refused.
    assertThatThrownBy(
            () ->
                qa.update(
                    first.record().ended(AlertRecord.State.ENDED, "resolved", "stale"),
                    first.lease()))
        .isInstanceOf(FencedException.class);
    assertThatThrownBy(() -> a.locks().renew(first.lease(), LONG))
        .isInstanceOf(FencedException.class);
    String run = "run-" + unique();
    b.trails().append(run, 1, bytes("{\"seq\":1}"), second[0].lease());
    assertThatThrownBy(() -> a.trails().append(run, 2, bytes("{\"seq\":2}"), first.lease()))
        .isInstanceOf(FencedException.class);
    b.trails().append(run, 2, bytes("{\"seq\":2,\"by\":\"b\"}"), second[0].lease());
    assertThat(a.trails().lines(run))
        .extracting(l -> new String(l, StandardCharsets.UTF_8))
        .containsExactly("{\"seq\":1}", "{\"seq\":2,\"by\":\"b\"}");
    qb.update(
        second[0].record().ended(AlertRecord.State.ENDED, "resolved", "by b"), second[0].lease());
    assertThat(qa.get(key).orElseThrow().reason()).isEqualTo("by b");
  }

  @Test
  void aRenewedLeaseIsNotTakenOver() throws Exception {
    String key = "renew-" + unique();
    PgAlertQueue qa = a.queue(10_000);
    qa.admit(List.of(queued(key)));
    SharedQueue.Claim claim = claimOne(qa, "alive", key, Duration.ofSeconds(3));
    Lease renewed = a.locks().renew(claim.lease(), Duration.ofSeconds(60));
    assertThat(renewed.generation()).isEqualTo(claim.lease().generation());
    assertThat(renewed.expires()).isAfter(claim.lease().expires());
    // Past the first expiry: the renewal holds, so nobody may take it.
    Eventually.within(
        Duration.ofSeconds(10),
        "the first expiry to pass",
        () -> Instant.now().isAfter(claim.lease().expires().plusMillis(500)));
    assertThat(claimOne(b.queue(10_000), "other", key, LONG)).isNull();
  }

  @Test
  void aTargetLockIsExclusiveAndFreedByExpiryNotByHand() throws Exception {
    String key = "lock:" + unique();
    Lease held = a.locks().tryAcquire(key, "dead-instance", SHORT).orElseThrow();
    assertThat(b.locks().tryAcquire(key, "b", LONG)).isEmpty();
    Lease[] taken = new Lease[1];
    Eventually.within(
        Duration.ofSeconds(20),
        "the dead instance's lock to lapse",
        () -> {
          try {
            return (taken[0] = b.locks().tryAcquire(key, "b", LONG).orElse(null)) != null;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    assertThat(taken[0].generation()).isGreaterThan(held.generation());
    a.locks().release(held); // the old holder's release must not free the new holder's lock
    assertThat(a.locks().holder(key).orElseThrow().owner()).isEqualTo("b");
    b.locks().release(taken[0]);
    assertThat(a.locks().holder(key)).isEmpty();
  }

  @Test
  void aTrailKeptAsRowsVerifiesWhenExportedAndATamperedRowIsFound() throws Exception {
    Path state = tmp.resolve("state");
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, null)) {
      log.append(
          new AuditEvent.RunStarted(
              run.runId(),
              "rb",
              "title",
              List.of("ALM-1"),
              "/rb.yaml",
              "0".repeat(64),
              Map.of("host", "a"),
              null,
              "op",
              "machine",
              "1",
              "root",
              null,
              null));
      log.append(new AuditEvent.RunFinished(Outcome.RESOLVED, "done", 5));
    }
    try (DirectoryStore local = new DirectoryStore(state)) {
      assertThat(TrailExport.copy(local.trails(), run.runId(), a.trails())).isEqualTo(2);
    }
    assertThat(a.trails().runIds()).contains(run.runId());
    try (DirectoryStore out = new DirectoryStore(tmp.resolve("export"))) {
      TrailExport.copy(b.trails(), run.runId(), out.trails());
    }
    RunDirectory exported =
        new RunDirectory(
            run.runId(), RunDirectory.runsRoot(tmp.resolve("export")).resolve(run.runId()));
    assertThat(AuditVerifier.verify(exported).findings()).isEmpty();

    try (Connection c = a.connection();
        PreparedStatement s =
            c.prepareStatement(
                "update trail_lines set line = convert_to(replace(convert_from(line, 'UTF8'),"
                    + " 'done', 'fine'), 'UTF8') where run_id = ? and seq = 2")) {
      s.setString(1, run.runId());
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    try (DirectoryStore out = new DirectoryStore(tmp.resolve("tampered"))) {
      TrailExport.copy(a.trails(), run.runId(), out.trails());
    }
    RunDirectory tampered =
        new RunDirectory(
            run.runId(), RunDirectory.runsRoot(tmp.resolve("tampered")).resolve(run.runId()));
    assertThat(AuditVerifier.verify(tampered).ok()).isFalse();
  }

  @Test
  void linesFilesAndHeadGoInOneFencedTransactionOrNotAtAll() throws Exception {
    String key = "batch-" + unique();
    PgAlertQueue qa = a.queue(10_000);
    qa.admit(List.of(queued(key)));
    SharedQueue.Claim held = claimOne(qa, "server-a", key, LONG);
    String run = "run-" + unique();
    a.trails()
        .appendAll(
            run,
            1,
            List.of(bytes("{\"seq\":1}"), bytes("{\"seq\":2}")),
            Map.of("outputs/look.log", bytes("whole output\n")),
            bytes("head 2"),
            held.lease());
    assertThat(b.trails().lineCount(run)).isEqualTo(2);
    assertThat(b.trails().fileNames(run)).containsExactly("outputs/look.log");
    assertThat(new String(b.trails().file(run, "outputs/look.log"), StandardCharsets.UTF_8))
        .isEqualTo("whole output\n");
    assertThat(new String(b.trails().head(run), StandardCharsets.UTF_8)).isEqualTo("head 2");

    // The same batch again (its commit reached the database, the answer did not): done already.
    a.trails()
        .appendAll(
            run,
            1,
            List.of(bytes("{\"seq\":1}"), bytes("{\"seq\":2}")),
            Map.of("outputs/look.log", bytes("whole output\n")),
            bytes("head 2"),
            held.lease());
    assertThat(b.trails().lineCount(run)).isEqualTo(2);
    // Other lines under those numbers are a second writer: refused.
    assertThatThrownBy(
            () ->
                a.trails()
                    .appendAll(
                        run,
                        1,
                        List.of(bytes("{\"seq\":1}"), bytes("{\"seq\":2,\"other\":1}")),
                        Map.of(),
                        null,
                        held.lease()))
        .hasMessageContaining("not the next one");

    // A batch whose first line is not the next one stores nothing of it: no file, no head.
    assertThatThrownBy(
            () ->
                a.trails()
                    .appendAll(
                        run,
                        5,
                        List.of(bytes("{\"seq\":5}")),
                        Map.of("outputs/late.log", bytes("late")),
                        bytes("head 5"),
                        held.lease()))
        .hasMessageContaining("not the next one");
    assertThat(b.trails().fileNames(run)).containsExactly("outputs/look.log");
    assertThat(new String(b.trails().head(run), StandardCharsets.UTF_8)).isEqualTo("head 2");

    // Once the lease is gone (given up here; taken over in the test above), nothing is stored.
    a.locks().release(held.lease());
    assertThatThrownBy(
            () ->
                a.trails()
                    .appendAll(
                        run,
                        3,
                        List.of(bytes("{\"seq\":3}")),
                        Map.of("outputs/after.log", bytes("after")),
                        bytes("head 3"),
                        held.lease()))
        .isInstanceOf(FencedException.class);
    assertThat(b.trails().lineCount(run)).isEqualTo(2);
    assertThat(b.trails().file(run, "outputs/after.log")).isNull();
  }

  @Test
  void aLineThatIsNotTheNextIsRefused() throws Exception {
    String run = "gap-" + unique();
    a.trails().append(run, 1, bytes("{}"), null);
    assertThatThrownBy(() -> a.trails().append(run, 3, bytes("{}"), null))
        .hasMessageContaining("not the next one");
    // A second writer's line 1 (another line under the same number) is refused; the same bytes
    // again are a retry of a write that was stored, and done.
    assertThatThrownBy(() -> b.trails().append(run, 1, bytes("{\"by\":\"b\"}"), null))
        .hasMessageContaining("not the next one");
    b.trails().append(run, 1, bytes("{}"), null);
    assertThat(a.trails().lineCount(run)).isEqualTo(1);
  }

  @Test
  void aFullQueueTurnsTheWholeBatchAway() throws Exception {
    String prefix = "full-" + unique();
    PgAlertQueue tiny = a.queue(a.queue(1).waiting() + 3);
    assertThat(tiny.admit(batch(prefix, 4))).isEqualTo(AlertQueue.Admission.FULL);
    assertThat(tiny.all().stream().filter(r -> r.key().startsWith(prefix))).isEmpty();
  }

  @Test
  void whilePostgresIsDownNothingIsRecordedAndItIsSaidSoAndAfterItNothingIsLost() throws Exception {
    String prefix = "restart-" + unique();
    PgAlertQueue qa = a.queue(10_000);
    qa.admit(batch(prefix + "-before", 5));
    pg.stop();
    try {
      assertThatThrownBy(() -> qa.admit(batch(prefix + "-during", 1)))
          .isInstanceOf(StoreUnavailableException.class);
    } finally {
      pg.startServer();
    }
    Eventually.within(
        Duration.ofSeconds(30),
        "the pool to reconnect after the restart",
        () -> {
          try {
            return qa.admit(batch(prefix + "-after", 5)) == AlertQueue.Admission.RECORDED;
          } catch (IOException e) {
            return false;
          }
        });
    Set<String> keys = new HashSet<>();
    qa.all().forEach(r -> keys.add(r.key()));
    assertThat(keys.stream().filter(k -> k.startsWith(prefix + "-before"))).hasSize(5);
    assertThat(keys.stream().filter(k -> k.startsWith(prefix + "-after"))).hasSize(5);
    assertThat(keys.stream().filter(k -> k.startsWith(prefix + "-during"))).isEmpty();
  }

  /** Claims until this key is among the claims (others are left to lapse), or null. */
  private static SharedQueue.Claim claimOne(PgAlertQueue q, String owner, String key, Duration ttl)
      throws IOException {
    return q.claim(key, owner, ttl)
        .filter(c -> c.record().state().open())
        .map(
            c ->
                new SharedQueue.Claim(
                    c.record(), c.lease(), c.record().state() == AlertRecord.State.RUNNING, null))
        .orElse(null);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
