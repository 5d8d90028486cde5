package dev.runbook.server.shared;

import dev.runbook.server.queue.SharedQueue;
import dev.runbook.server.work.Custody;
import java.io.IOException;

/**
 * Custody of alerts through their leases: an alert this server claimed is held already; one a
 * person answers here (approve, answer) is taken first, unless another server holds it.
 */
public final class SharedCustody implements Custody {

  private final SharedQueue queue;
  private final Leases leases;
  private final String owner;

  public SharedCustody(SharedQueue queue, Leases leases, String owner) {
    this.queue = queue;
    this.leases = leases;
    this.owner = owner;
  }

  @Override
  public boolean take(String key) throws IOException {
    if (leases.alert(key).isPresent()) {
      return true;
    }
    var claim = queue.claim(key, owner, leases.ttl());
    claim.ifPresent(c -> leases.holdAlert(key, c.lease()));
    return claim.isPresent();
  }

  @Override
  public void release(String key) {
    leases.releaseAlert(key);
  }
}
