package dev.runbook.api;

import java.util.List;

/**
 * A bundle of actions and transports, registered in {@code
 * META-INF/services/dev.runbook.api.Plugin}.
 *
 * <p>The engine loads every plugin once at start-up and rejects two plugins that claim the same
 * action name or transport kind, naming both classes. Implementations must have a public no-arg
 * constructor and must not do I/O when constructed: {@code runbook --help} loads no plugin, but
 * {@code runbook validate} loads them all.
 */
public interface Plugin {

  /** A short stable name such as {@code shell} or {@code ssh}, shown in error messages. */
  String id();

  /** The actions this plugin offers; never null. */
  default List<Action> actions() {
    return List.of();
  }

  /**
   * The kinds of target this plugin brings (how runbooks declare them); never null. A kind that is
   * a machine comes with a {@link TransportProvider} of the same name, in this plugin or another.
   */
  default List<TargetKind> targetKinds() {
    return List.of();
  }

  /** The transports this plugin offers; never null. */
  default List<TransportProvider> transports() {
    return List.of();
  }
}
