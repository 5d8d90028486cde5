package dev.runbook.engine.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A lease on a key (a target's lock, an alert's run): who holds it, until when, and the generation
 * it was taken with. Generations only grow: whoever takes a key over gets a larger one, so a write
 * checked against the generation it was taken with is refused once the key changed hands (fencing).
 *
 * @param key what is leased
 * @param owner the instance holding it (its id, as it names itself)
 * @param generation the fencing token
 * @param expires when the lease lapses unless renewed (the store's clock)
 */
public record Lease(String key, String owner, long generation, Instant expires) {

  public Lease {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(owner, "owner");
  }
}
