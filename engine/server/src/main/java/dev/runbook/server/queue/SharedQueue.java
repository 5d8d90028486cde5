package dev.runbook.server.queue;

import dev.runbook.engine.store.Lease;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An alert queue several servers share (a database): a server does not run what it admitted, it
 * runs what it {@linkplain #claim claims}, under a lease on the alert that it renews while the run
 * goes on. A lease that lapses (its server died or froze) lets another server claim the alert as a
 * takeover. Writes made under a lease are fenced: once the alert was taken over, they are refused.
 *
 * <p>The server reaches an implementation through {@link SharedQueueProvider}, never by name, so it
 * carries no database driver of its own.
 */
public interface SharedQueue extends AlertQueue {

  /**
   * An alert a server took, under its lease.
   *
   * @param takenOver whether it was running under another server's lease that lapsed: its run may
   *     have begun there (the trail is that server's), so it is never started again blindly
   * @param previousOwner the server that held the lapsed lease (for the message), or null
   */
  record Claim(AlertRecord record, Lease lease, boolean takenOver, String previousOwner) {}

  /**
   * Takes up to {@code max} open alerts for {@code owner}: queued ones, and running ones whose
   * lease lapsed, oldest first; servers claiming at once take different alerts.
   */
  List<Claim> claim(String owner, Duration ttl, int max) throws IOException;

  /** Takes one alert's lease (to resume a paused run here), if nobody holds it. */
  Optional<Claim> claim(String key, String owner, Duration ttl) throws IOException;

  /**
   * Records a change of an alert whose run this server drives, if its lease is still current.
   *
   * @throws dev.runbook.engine.store.FencedException when another server took the alert over
   */
  void update(AlertRecord record, Lease fence) throws IOException;
}
