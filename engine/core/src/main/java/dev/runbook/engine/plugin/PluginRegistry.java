package dev.runbook.engine.plugin;

import dev.runbook.api.Action;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.Plugin;
import dev.runbook.api.TargetKind;
import dev.runbook.api.TransportProvider;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The actions and transports of the installed plugins, checked once when loaded: two plugins
 * claiming one action name or transport kind is an error naming both classes.
 */
public final class PluginRegistry {

  private final List<Plugin> plugins;
  private final Map<String, Action> actions;
  private final Map<String, TransportProvider> transports;
  private final Map<String, TargetKind> targetKinds;

  private PluginRegistry(List<Plugin> plugins) {
    this.plugins = List.copyOf(plugins);
    Map<String, Action> actionsByName = new TreeMap<>();
    Map<String, Object> actionOwners = new LinkedHashMap<>();
    Map<String, TransportProvider> transportsByKind = new TreeMap<>();
    Map<String, Object> transportOwners = new LinkedHashMap<>();
    Map<String, TargetKind> kinds = new TreeMap<>();
    Map<String, Object> kindOwners = new LinkedHashMap<>();
    for (Plugin plugin : plugins) {
      for (TargetKind kind : plugin.targetKinds()) {
        claim("target kind", kind.name(), plugin, kindOwners);
        kinds.put(kind.name(), kind);
      }
      for (Action action : plugin.actions()) {
        String name = action.descriptor().name();
        claim("action", name, action, actionOwners);
        actionsByName.put(name, action);
      }
      for (TransportProvider transport : plugin.transports()) {
        claim("transport", transport.kind(), transport, transportOwners);
        transportsByKind.put(transport.kind(), transport);
      }
    }
    // Sorted, not Map.copyOf: listings and messages must come out the same on every run.
    this.actions = Collections.unmodifiableMap(actionsByName);
    this.transports = Collections.unmodifiableMap(transportsByKind);
    this.targetKinds = Collections.unmodifiableMap(kinds);
  }

  private static void claim(String what, String name, Object owner, Map<String, Object> owners) {
    Object previous = owners.putIfAbsent(name, owner);
    if (previous != null) {
      throw new PluginConflictException(
          what
              + " '"
              + name
              + "' is offered by both "
              + previous.getClass().getName()
              + " and "
              + owner.getClass().getName()
              + "; remove one of the plugins");
    }
  }

  /** The plugins on the class path of the given loader. */
  public static PluginRegistry load(ClassLoader loader) {
    return of(
        ServiceLoader.load(Plugin.class, loader).stream()
            .map(ServiceLoader.Provider::get)
            .toList());
  }

  /** A registry of exactly these plugins (tests, embedding). */
  public static PluginRegistry of(Collection<Plugin> plugins) {
    return new PluginRegistry(List.copyOf(plugins));
  }

  public List<Plugin> plugins() {
    return plugins;
  }

  public Optional<Action> action(String name) {
    return Optional.ofNullable(actions.get(name));
  }

  public Map<String, ActionDescriptor> descriptors() {
    Map<String, ActionDescriptor> descriptors = new TreeMap<>();
    actions.forEach((name, action) -> descriptors.put(name, action.descriptor()));
    return descriptors;
  }

  public Optional<TransportProvider> transport(String kind) {
    return Optional.ofNullable(transports.get(kind));
  }

  public Collection<String> transportKinds() {
    return transports.keySet();
  }

  /** The kinds of target the plugins bring, by name: how runbooks may declare targets. */
  public Map<String, TargetKind> targetKinds() {
    return targetKinds;
  }

  /** Thrown when two plugins claim the same name. */
  public static final class PluginConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PluginConflictException(String message) {
      super(message);
    }
  }
}
