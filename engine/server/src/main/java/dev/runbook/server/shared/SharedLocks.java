package dev.runbook.server.shared;

import dev.runbook.server.work.TargetLocks;
import java.io.IOException;
import java.util.Optional;

/** Runbook locks as leases in the shared store, renewed with this server's other leases. */
public final class SharedLocks implements TargetLocks {

  private final Leases leases;
  private final String owner;

  public SharedLocks(Leases leases, String owner) {
    this.leases = leases;
    this.owner = owner;
  }

  @Override
  public Optional<Held> take(String lockKey) throws IOException {
    return leases.takeLock(lockKey, owner).map(lease -> () -> leases.releaseLock(lease));
  }

  @Override
  public boolean shared() {
    return true;
  }
}
