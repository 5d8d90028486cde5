package dev.runbook.server.work;

import java.io.IOException;
import java.util.Optional;

/**
 * A runbook's {@code lock:} across servers. The engine's own lock (a file lock in the state
 * directory) excludes runs on one machine only; servers sharing a store also take the lock as a
 * lease in that store, held for the whole run and renewed, freed by expiry if the server dies.
 */
public interface TargetLocks {

  /** A lock held; {@link #close} gives it back. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes the lock.
   *
   * @return the lock, or empty when a run (on any server) holds it
   */
  Optional<Held> take(String lockKey) throws IOException;

  /** Whether locks reach beyond this machine (then the run's lock key is worked out first). */
  boolean shared();

  /** One server alone: the engine's file locks are all there is. */
  TargetLocks LOCAL =
      new TargetLocks() {
        @Override
        public Optional<Held> take(String lockKey) {
          return Optional.of(() -> {});
        }

        @Override
        public boolean shared() {
          return false;
        }
      };
}
