package dev.runbook.engine.parse;

import dev.runbook.engine.model.Position;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML mapping read key by key: every wrong type, duplicate and unknown key becomes a problem
 * with its position, and reading goes on so that all problems are found in one pass.
 */
final class YamlMapping {

  private final ParseContext context;
  private final String owner;
  private final MappingNode node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private YamlMapping(ParseContext context, MappingNode node, String owner) {
    this.context = context;
    this.owner = owner;
    this.node = node;
    for (NodeTuple tuple : node.getValue()) {
      Node key = tuple.getKeyNode();
      if (!(key instanceof ScalarNode scalar)) {
        context.problem(key, owner + ": keys must be plain strings");
        continue;
      }
      NodeTuple first = entries.get(scalar.getValue());
      if (first != null) {
        context.problem(
            key,
            owner
                + ": duplicate key '"
                + scalar.getValue()
                + "' (first at line "
                + context.position(first.getKeyNode()).line()
                + ")");
        continue;
      }
      entries.put(scalar.getValue(), tuple);
    }
  }

  /** The node as a mapping, or null after reporting that it is not one. */
  static YamlMapping of(ParseContext context, Node node, String owner) {
    if (node instanceof MappingNode mapping) {
      return new YamlMapping(context, mapping, owner);
    }
    context.problem(node, owner + " must be a mapping, not " + describe(node));
    return null;
  }

  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof ScalarNode scalar && isNull(scalar)) {
      return "empty";
    }
    return "the value '" + ((ScalarNode) node).getValue() + "'";
  }

  static boolean isNull(Node node) {
    if (!(node instanceof ScalarNode scalar)) {
      return false;
    }
    if (scalar.isPlain()) {
      String value = scalar.getValue();
      return value.isEmpty() || value.equals("~") || value.equals("null");
    }
    return false;
  }

  Position position() {
    return context.position(node);
  }

  String owner() {
    return owner;
  }

  Set<String> keys() {
    return entries.keySet();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  Node node(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getValueNode();
  }

  Position keyPosition(String key) {
    return context.position(entries.get(key).getKeyNode());
  }

  Position valuePosition(String key) {
    return context.position(entries.get(key).getValueNode());
  }

  /** Reports every key outside {@code allowed}, with the closest allowed key as a hint. */
  void rejectUnknown(Collection<String> allowed) {
    for (String key : entries.keySet()) {
      if (!allowed.contains(key)) {
        context.problem(
            keyPosition(key),
            owner + ": unknown field '" + key + "'" + Suggestions.hint(key, allowed));
      }
    }
  }

  /** Keys outside {@code allowed}, for callers that treat them specially. */
  List<String> keysOutside(Collection<String> allowed) {
    List<String> outside = new ArrayList<>();
    for (String key : entries.keySet()) {
      if (!allowed.contains(key)) {
        outside.add(key);
      }
    }
    return outside;
  }

  /** The scalar under {@code key}, or null when absent or not a scalar (reported). */
  ScalarNode scalar(String key) {
    Node node = node(key);
    if (node == null) {
      return null;
    }
    if (node instanceof ScalarNode scalar && !isNull(scalar)) {
      return scalar;
    }
    context.problem(node, owner + ": '" + key + "' must be a single value, not " + describe(node));
    return null;
  }

  String string(String key) {
    ScalarNode scalar = scalar(key);
    return scalar == null ? null : scalar.getValue();
  }

  String requiredString(String key) {
    if (!has(key)) {
      context.problem(position(), owner + ": missing required field '" + key + "'");
      return null;
    }
    return string(key);
  }

  Boolean bool(String key) {
    ScalarNode scalar = scalar(key);
    if (scalar == null) {
      return null;
    }
    Boolean value = parseBool(scalar.getValue());
    if (value == null) {
      context.problem(
          scalar, owner + ": '" + key + "' must be true or false, not '" + scalar.getValue() + "'");
    }
    return value;
  }

  Integer integer(String key, int min) {
    ScalarNode scalar = scalar(key);
    if (scalar == null) {
      return null;
    }
    try {
      int value = Integer.parseInt(scalar.getValue());
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    context.problem(
        scalar,
        owner
            + ": '"
            + key
            + "' must be a whole number of at least "
            + min
            + ", not '"
            + scalar.getValue()
            + "'");
    return null;
  }

  YamlMapping mapping(String key) {
    Node node = node(key);
    return node == null ? null : of(context, node, owner + ": '" + key + "'");
  }

  /** The items under {@code key}; a single scalar is taken as a one-item list. */
  List<Node> sequence(String key) {
    Node node = node(key);
    if (node == null) {
      return List.of();
    }
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    if (node instanceof ScalarNode scalar && !isNull(scalar)) {
      return List.of(scalar);
    }
    context.problem(node, owner + ": '" + key + "' must be a list, not " + describe(node));
    return List.of();
  }

  /** The values as plain strings; non-scalars are reported and skipped. */
  List<String> strings(String key) {
    List<String> values = new ArrayList<>();
    for (Node item : sequence(key)) {
      if (item instanceof ScalarNode scalar && !isNull(scalar)) {
        values.add(scalar.getValue());
      } else {
        context.problem(item, owner + ": items of '" + key + "' must be single values");
      }
    }
    return values;
  }

  Map<String, NodeTuple> entries() {
    return entries;
  }

  static Boolean parseBool(String text) {
    return switch (text) {
      case "true", "yes" -> Boolean.TRUE;
      case "false", "no" -> Boolean.FALSE;
      default -> null;
    };
  }

  static Set<String> sorted(Collection<String> names) {
    return new TreeSet<>(names);
  }
}
