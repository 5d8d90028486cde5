package dev.runbook.engine.parse;

import dev.runbook.engine.model.Position;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** Known keys that an unknown key was reported as a likely typo of: 'titel' → 'title'. */
  private final Set<String> suggested = new HashSet<>();

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
            owner + ": unknown field '" + Suggestions.shorten(key) + "'" + hint(key, allowed));
      }
    }
  }

  /**
   * {@code " (did you mean 'x'?)"} for an unknown key, remembering the suggestion: a required field
   * that was only misspelt is then not also reported missing.
   */
  String hint(String unknownKey, Collection<String> candidates) {
    Optional<String> closest = Suggestions.closest(unknownKey, candidates);
    closest.ifPresent(suggested::add);
    return closest.map(s -> " (did you mean '" + s + "'?)").orElse("");
  }

  /**
   * Whether {@code key} is present; if not, reports it missing, unless an unknown key was already
   * reported as its likely misspelling (one mistake, one message).
   */
  boolean require(String key) {
    if (has(key)) {
      return true;
    }
    if (!suggested.contains(key)) {
      context.problem(position(), owner + ": missing required field '" + key + "'");
    }
    return false;
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
    return require(key) ? string(key) : null;
  }

  /**
   * A YAML 1.2 bool: plain {@code true} or {@code false}. {@code yes}, {@code no} and quoted {@code
   * "true"} are strings, as in every YAML 1.2 reader (and in the JSON Schema).
   */
  Boolean bool(String key) {
    ScalarNode scalar = scalar(key);
    if (scalar == null) {
      return null;
    }
    Boolean value = scalar.isPlain() ? parseBool(scalar.getValue()) : null;
    if (value == null) {
      context.problem(
          scalar, owner + ": '" + key + "' must be true or false, not " + written(scalar));
    }
    return value;
  }

  Integer integer(String key, int min) {
    ScalarNode scalar = scalar(key);
    if (scalar == null) {
      return null;
    }
    Integer value = scalar.isPlain() ? parseInt(scalar.getValue()) : null;
    if (value != null && value >= min) {
      return value;
    }
    context.problem(
        scalar,
        owner
            + ": '"
            + key
            + "' must be a whole number of at least "
            + min
            + ", not "
            + written(scalar));
    return null;
  }

  /** A value as the message shows it: {@code 'yes'}, or {@code the quoted string "3"}. */
  static String written(ScalarNode scalar) {
    return scalar.isPlain()
        ? "'" + scalar.getValue() + "'"
        : "the quoted string \"" + scalar.getValue() + "\" (drop the quotes)";
  }

  static Integer parseInt(String text) {
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
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
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> null;
    };
  }

  /** The answer of a {@code return:}: the format's own words, {@code yes} or {@code no}. */
  static Boolean parseYesNo(String text) {
    return switch (text) {
      case "yes" -> Boolean.TRUE;
      case "no" -> Boolean.FALSE;
      default -> null;
    };
  }

  static Set<String> sorted(Collection<String> names) {
    return new TreeSet<>(names);
  }
}
