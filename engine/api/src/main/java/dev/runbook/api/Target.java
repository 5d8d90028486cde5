package dev.runbook.api;

import java.util.Map;
import java.util.Objects;

/**
 * Where a step runs, as the runbook declared it and the engine resolved it.
 *
 * @param name the target's name in the runbook ({@code local} for the engine's own machine)
 * @param kind the transport kind that serves it: {@code local}, {@code ssh}, {@code kubectl}
 * @param properties resolved settings such as {@code host}, {@code user}, {@code port}
 */
public record Target(String name, String kind, Map<String, String> properties) {

  public static final Target LOCAL = new Target("local", "local", Map.of());

  /**
   * The property naming the inventory host a target's address came from ({@code mrs-node-1}), set
   * by the engine when the inventory filled in the target's settings.
   */
  public static final String ALIAS = "alias";

  public Target {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    properties = Map.copyOf(properties);
  }

  /**
   * A short human description: {@code local}, {@code omm@node-1 (ssh)}, {@code cluster (kubectl via
   * bastion)} for a target whose commands run on another target.
   */
  public String describe() {
    if ("local".equals(kind)) {
      return "local";
    }
    String host = properties.getOrDefault("host", name);
    String user = properties.get("user");
    String via = properties.get("via");
    return (user == null ? host : user + "@" + host)
        + " ("
        + kind
        + (via == null || via.isBlank() ? "" : " via " + via)
        + ")";
  }
}
