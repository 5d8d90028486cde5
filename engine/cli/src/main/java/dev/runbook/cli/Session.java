package dev.runbook.cli;

import dev.runbook.engine.Engine;

/**
 * The engine a command works with, built on first use from the global options, so that {@code
 * --help} builds nothing and each command makes only the parts it needs.
 */
final class Session {

  private final RunbookCommand root;
  private Engine engine;

  Session(RunbookCommand root) {
    this.root = root;
  }

  /**
   * An engine that keeps runs in the state directory and knows the shared store ({@code --store},
   * {@code RUNBOOK_STORE}), if one is named: runs then copy their trails there as they go, and a
   * resume brings a run's trail from there first; {@code serve} shares its queue and locks there.
   * The store is opened only when something needs it.
   */
  Engine engine() {
    if (engine == null) {
      engine = builder().store(root.storeUrl()).build();
    }
    return engine;
  }

  /** An engine for a dry run: it writes nothing, not even the library index. */
  Engine engineWritingNothing() {
    if (engine == null) {
      engine = builder().writesNothing().build();
    }
    return engine;
  }

  private Engine.Builder builder() {
    return Engine.builder()
        .runbooks(root.libraryPaths())
        .stateDir(root.stateDirectory())
        .inventory(root.inventoryFile())
        .identity(Runs::machine, Version.current())
        .fsync(!"off".equals(System.getenv("RUNBOOK_FSYNC")));
  }

  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
