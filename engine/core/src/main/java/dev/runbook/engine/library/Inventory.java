package dev.runbook.engine.library;

import dev.runbook.api.Target;
import dev.runbook.api.TargetKind;
import dev.runbook.engine.parse.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The hosts a site runs runbooks on, and their groups, from a YAML file:
 *
 * <pre>
 * defaults: {user: omm}
 * hosts:
 *   mrs-node-1: {host: 10.0.0.11, port: 22, identity: ~/.ssh/mrs_ed25519}
 *   mrs-node-2: {host: 10.0.0.12, jump: bastion}
 * groups:
 *   flink: [mrs-node-1, mrs-node-2]
 * </pre>
 *
 * A target whose host is an inventory name gets that host's settings (the target's own settings
 * win); {@code -p Hosts=@flink} expands a group. The engine treats settings as plain key-values:
 * which ones mean something is the transport's business.
 */
public final class Inventory {

  public static final Inventory EMPTY = new Inventory(Map.of(), Map.of(), Map.of());

  private final Map<String, Map<String, String>> hosts;
  private final Map<String, List<String>> groups;

  /** Each machine kind's primary setting ({@code ssh} → {@code host}): what names a host. */
  private final Map<String, String> primaryByKind;

  private Inventory(
      Map<String, Map<String, String>> hosts,
      Map<String, List<String>> groups,
      Map<String, String> primaryByKind) {
    this.hosts = Map.copyOf(hosts);
    this.groups = Map.copyOf(groups);
    this.primaryByKind = Map.copyOf(primaryByKind);
  }

  /** Thrown for an inventory file that cannot be used; the message names the file and the entry. */
  public static final class InventoryException extends Exception {
    private static final long serialVersionUID = 1L;

    InventoryException(String message) {
      super(message);
    }
  }

  /**
   * Reads an inventory whose hosts may carry the settings of the machine kinds the plugins bring
   * (for SSH: host, user, port, identity, jump, become).
   */
  public static Inventory load(Path file, Map<String, TargetKind> kinds) throws InventoryException {
    Set<String> keys = new TreeSet<>();
    Map<String, String> primaryByKind = new LinkedHashMap<>();
    for (TargetKind kind : kinds.values()) {
      if (kind.form() == TargetKind.Form.VALUE) {
        keys.addAll(kind.settingNames());
        primaryByKind.put(kind.name(), kind.primary());
      }
    }
    Object root;
    try {
      root =
          new Load(LoadSettings.builder().setLabel(file.toString()).build())
              .loadFromString(Files.readString(file));
    } catch (IOException e) {
      throw new InventoryException("cannot read inventory " + file + ": " + e.getMessage());
    } catch (YamlEngineException e) {
      throw new InventoryException("inventory " + file + " is not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      return EMPTY;
    }
    Map<String, Object> top = mapping(root, file + ": the inventory");
    for (String key : top.keySet()) {
      if (!Set.of("defaults", "hosts", "groups").contains(key)) {
        throw new InventoryException(
            file + ": unknown key '" + key + "'; an inventory has defaults, hosts and groups");
      }
    }
    Map<String, String> defaults = settings(top.get("defaults"), file + ": defaults", keys);
    Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry :
        mapping(top.getOrDefault("hosts", Map.of()), file + ": hosts").entrySet()) {
      Map<String, String> settings = new LinkedHashMap<>(defaults);
      settings.putAll(settings(entry.getValue(), file + ": host '" + entry.getKey() + "'", keys));
      hosts.put(entry.getKey(), settings);
    }
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry :
        mapping(top.getOrDefault("groups", Map.of()), file + ": groups").entrySet()) {
      if (!(entry.getValue() instanceof List<?> members)) {
        throw new InventoryException(
            file + ": group '" + entry.getKey() + "' must be a list of host names");
      }
      List<String> names = new ArrayList<>();
      for (Object member : members) {
        String name = String.valueOf(member);
        if (!hosts.containsKey(name)) {
          throw new InventoryException(
              file
                  + ": group '"
                  + entry.getKey()
                  + "' names no host '"
                  + name
                  + "'"
                  + Suggestions.hint(name, hosts.keySet()));
        }
        names.add(name);
      }
      groups.put(entry.getKey(), List.copyOf(names));
    }
    return new Inventory(hosts, groups, primaryByKind);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapping(Object value, String what) throws InventoryException {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      ((Map<Object, Object>) map).forEach((k, v) -> copy.put(String.valueOf(k), v));
      return copy;
    }
    throw new InventoryException(what + " must be a mapping");
  }

  private static Map<String, String> settings(Object value, String what, Set<String> keys)
      throws InventoryException {
    Map<String, String> settings = new LinkedHashMap<>();
    if (value == null) {
      return settings;
    }
    for (Map.Entry<String, Object> entry : mapping(value, what).entrySet()) {
      if (!keys.contains(entry.getKey())) {
        throw new InventoryException(
            what
                + ": unknown setting '"
                + entry.getKey()
                + "'"
                + Suggestions.hint(entry.getKey(), keys)
                + "; use "
                + String.join(", ", keys));
      }
      settings.put(entry.getKey(), String.valueOf(entry.getValue()));
    }
    return settings;
  }

  /** The settings of an inventory host, if the name is one. */
  public Optional<Map<String, String>> host(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  /** The members of a group, if the name is one. */
  public Optional<List<String>> group(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  public Set<String> groupNames() {
    return groups.keySet();
  }

  /**
   * A target's properties with the inventory's settings for its host filled in, for a machine kind
   * whose primary setting ({@code host}) names an inventory host: the target's own settings win,
   * the primary setting becomes the inventory's address, and {@link Target#ALIAS} keeps the name.
   */
  public Map<String, String> apply(String kind, Map<String, String> properties) {
    String primary = primaryByKind.get(kind);
    String name = primary == null ? null : properties.get(primary);
    Map<String, String> settings = name == null ? null : hosts.get(name);
    if (settings == null) {
      return properties;
    }
    Map<String, String> merged = new LinkedHashMap<>(settings);
    merged.putAll(properties);
    merged.put(primary, settings.getOrDefault(primary, name));
    merged.put(Target.ALIAS, name);
    return merged;
  }
}
