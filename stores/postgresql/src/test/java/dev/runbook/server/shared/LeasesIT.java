package dev.runbook.server.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.engine.store.FencedException;
import dev.runbook.engine.store.Lease;
import dev.runbook.engine.store.StoreUrl;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.postgresql.PostgresServer;
import dev.runbook.store.postgresql.PostgresStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's lease book ({@link Leases}) against the PostgreSQL store on a real PostgreSQL 15:
 * renewal keeps a runbook lock this server holds from lapsing however long its run takes; a server
 * that stops renewing (dead, frozen) loses it to another once it lapses; and the renewal that then
 * comes too late is refused and said, not silently ignored.
 */
class LeasesIT {

  private static final Duration TTL = Duration.ofSeconds(1);

  private static PostgresServer pg;
  private static PostgresStore store;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(PostgresServer.installed(), "PostgreSQL 15 (Debian's postgresql) is not installed");
    pg = PostgresServer.start();
    store = PostgresStore.open(StoreUrl.parse(pg.url()), null, 4);
  }

  @AfterAll
  static void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRenewedLockOutlivesItsLeaseAndALapsedOneGoesToAnotherServer() throws Exception {
    List<String> said = new CopyOnWriteArrayList<>();
    Leases a = new Leases(store.locks(), TTL, said::add);
    a.start();
    Lease held = a.takeLock("target-1", "server-a").orElseThrow();
    assertThat(a.takeLock("target-1", "server-a")).as("one holder at a time").isEmpty();

    // Three lease times, renewed by a: nobody else gets the lock meanwhile.
    long end = System.nanoTime() + 3 * TTL.toNanos();
    int tries = 0;
    while (System.nanoTime() < end && tries++ < 100) {
      assertThat(store.locks().tryAcquire("lock:target-1", "server-b", TTL))
          .as("taken from a renewing holder")
          .isEmpty();
      Thread.sleep(50);
    }

    // a stops renewing (as a frozen or dead server does): b gets it once it lapses.
    a.close();
    Optional<Lease>[] taken = new Optional[] {Optional.empty()};
    Eventually.within(
        Duration.ofSeconds(10),
        "another server to take the lapsed lock",
        () -> {
          try {
            taken[0] = store.locks().tryAcquire("lock:target-1", "server-b", Duration.ofMinutes(1));
          } catch (IOException e) {
            return false;
          }
          return taken[0].isPresent();
        });
    assertThat(taken[0].get().generation()).isGreaterThan(held.generation());

    // a wakes and renews: refused, said, and the lock is no longer a's to give back.
    a.renewAll();
    assertThat(said)
        .anySatisfy(line -> assertThat(line).contains("lock:target-1").contains("taken over"));
    a.releaseLock(held);
    assertThat(store.locks().holder("lock:target-1").orElseThrow().owner()).isEqualTo("server-b");
  }

  @Test
  @SuppressWarnings("unchecked")
  void anAlertLeaseTakenOverIsStillWrittenUnderSoLateWritesAreRefusedAndTheRunIsStopped()
      throws Exception {
    List<String> stopped = new CopyOnWriteArrayList<>();
    Leases a = new Leases(store.locks(), TTL, line -> {});
    a.onAlertLost(stopped::add);
    Lease held = store.locks().tryAcquire("alert:k1", "server-a", TTL).orElseThrow();
    a.holdAlert("k1", held);
    // a freezes (no renewal); b takes the alert over once the lease lapses.
    Optional<Lease>[] taken = new Optional[] {Optional.empty()};
    Eventually.within(
        Duration.ofSeconds(10),
        "another server to take the lapsed alert",
        () -> {
          try {
            taken[0] = store.locks().tryAcquire("alert:k1", "server-b", Duration.ofMinutes(1));
          } catch (IOException e) {
            return false;
          }
          return taken[0].isPresent();
        });
    // a wakes: its renewal is refused, its run is told to stop, and it is no longer a holder of
    // the alert, but its late writes still go under the old lease, which the store refuses.
    a.renewAll();
    assertThat(stopped).containsExactly("k1");
    assertThat(a.alert("k1")).isEmpty();
    assertThat(a.writingAs("k1")).contains(held);
    assertThatThrownBy(() -> store.trails().append("run-k1", 1, new byte[] {'{', '}'}, held))
        .isInstanceOf(FencedException.class);
    a.releaseAlert("k1");
    assertThat(a.writingAs("k1")).isEmpty();
    a.close();
  }

  @Test
  void aLockGivenBackIsFreeAtOnce() throws Exception {
    Leases a = new Leases(store.locks(), Duration.ofMinutes(1), line -> {});
    Lease held = a.takeLock("target-2", "server-a").orElseThrow();
    a.releaseLock(held);
    assertThat(store.locks().tryAcquire("lock:target-2", "server-b", TTL)).isPresent();
    a.close();
  }
}
