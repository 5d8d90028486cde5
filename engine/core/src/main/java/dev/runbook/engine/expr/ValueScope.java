package dev.runbook.engine.expr;

import java.util.List;
import java.util.Optional;

/** Looks up what a {@code ${path}} refers to, in the scope of one step. */
@FunctionalInterface
public interface ValueScope {

  /** The value at a dotted path ({@code [params, HostName]}), or empty when it has none yet. */
  Optional<Value> lookup(List<String> path);
}
