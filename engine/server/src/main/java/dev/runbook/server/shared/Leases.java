package dev.runbook.server.shared;

import dev.runbook.engine.store.FencedException;
import dev.runbook.engine.store.Lease;
import dev.runbook.engine.store.LockStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The leases this server holds (alerts it drives, runbook locks its runs hold), renewed every third
 * of their time to live, so they lapse only when the server stops (dies, freezes, loses the
 * database for longer than a lease). A lease another server took over meanwhile is dropped here and
 * said on the console: the store refuses this server's writes for it from then on (fencing).
 *
 * <p>Thread-safe.
 */
public final class Leases implements AutoCloseable {

  private final LockStore store;
  private final Duration ttl;
  private final Consumer<String> log;
  private final Map<String, Lease> alerts = new ConcurrentHashMap<>();
  private final Map<String, Lease> locks = new ConcurrentHashMap<>();
  private volatile Consumer<String> alertLost = key -> {};
  // Leases found taken over, kept until the worker lets the alert go: whatever it still tries to
  // write for the alert is made under the old lease and refused, never written unfenced.
  private final Map<String, Lease> lostAlerts = new ConcurrentHashMap<>();
  private final ScheduledExecutorService renewer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "runbook-lease-renewer");
            t.setDaemon(true);
            return t;
          });

  public Leases(LockStore store, Duration ttl, Consumer<String> log) {
    this.store = store;
    this.ttl = ttl;
    this.log = log;
  }

  /**
   * Whom to tell, by alert key, when an alert's lease was found taken over: its run must stop here
   * (the step it is in included), since another server drives it now.
   */
  public void onAlertLost(Consumer<String> listener) {
    this.alertLost = listener;
  }

  /** Starts renewing. */
  public void start() {
    long every = Math.max(100, ttl.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
  }

  public Duration ttl() {
    return ttl;
  }

  /** Holds (and from now on renews) the lease on an alert this server drives. */
  public void holdAlert(String alertKey, Lease lease) {
    alerts.put(alertKey, lease);
  }

  /** The lease this server holds on an alert, if any. */
  public Optional<Lease> alert(String alertKey) {
    return Optional.ofNullable(alerts.get(alertKey));
  }

  /**
   * The lease writes for an alert are made under: the one held, or the one this server held until
   * another took it over (then every write is refused); empty when this server never held it.
   */
  public Optional<Lease> writingAs(String alertKey) {
    Lease held = alerts.get(alertKey);
    return Optional.ofNullable(held != null ? held : lostAlerts.get(alertKey));
  }

  /** Gives an alert's lease up (its run ended or paused): another server may take it. */
  public void releaseAlert(String alertKey) {
    lostAlerts.remove(alertKey);
    release(alerts.remove(alertKey));
  }

  /**
   * Takes a runbook lock's lease across servers.
   *
   * @return the lease, or empty when a run on another server (or this one) holds the lock
   */
  public Optional<Lease> takeLock(String lockKey, String owner) throws IOException {
    Optional<Lease> lease = store.tryAcquire("lock:" + lockKey, owner, ttl);
    lease.ifPresent(l -> locks.put(l.key(), l));
    return lease;
  }

  public void releaseLock(Lease lease) {
    release(locks.remove(lease.key()));
  }

  private void release(Lease lease) {
    if (lease == null) {
      return;
    }
    try {
      store.release(lease);
    } catch (IOException e) {
      // It lapses by itself: a lease nobody renews is free once its time is up.
      log.accept("cannot give up the lease on " + lease.key() + " (it lapses by itself): " + e);
    }
  }

  /** Renews every lease held now; package-private for tests. */
  void renewAll() {
    renew(alerts, lostAlerts, alertLost);
    renew(locks, new ConcurrentHashMap<>(), key -> {});
  }

  private void renew(Map<String, Lease> held, Map<String, Lease> takenOver, Consumer<String> lost) {
    for (Map.Entry<String, Lease> entry : held.entrySet()) {
      try {
        Lease renewed = store.renew(entry.getValue(), ttl);
        held.replace(entry.getKey(), entry.getValue(), renewed);
      } catch (FencedException e) {
        if (!held.remove(entry.getKey(), entry.getValue())) {
          continue; // given up meanwhile (its run ended): nothing was lost
        }
        takenOver.put(entry.getKey(), entry.getValue());
        log.accept(
            "the lease on "
                + entry.getValue().key()
                + " was taken over by another server (this one was too slow to renew it): its"
                + " writes for it are refused from now on");
        lost.accept(entry.getKey());
      } catch (IOException e) {
        // The store is out of reach: keep trying; past the lease's time another server takes it.
        log.accept("cannot renew the lease on " + entry.getValue().key() + ": " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    renewer.shutdownNow();
  }
}
