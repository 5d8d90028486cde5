package dev.runbook.engine.parse;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.model.Template;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads {@code targets:}: each one exactly one of {@code ssh}, {@code kubectl} or {@code local}.
 */
final class TargetParser {

  private static final List<String> KINDS = List.of("ssh", "kubectl", "local");
  private static final List<String> SSH_FIELDS =
      List.of("ssh", "user", "port", "become", "identity");
  private static final List<String> KUBECTL_FIELDS =
      List.of("context", "namespace", "kubeconfig", "binary", "via");
  private static final List<String> BINARIES = List.of("kubectl", "oc");

  private TargetParser() {}

  static Map<String, TargetSpec> read(YamlMapping mapping, ParseContext context) {
    Map<String, TargetSpec> targets = new LinkedHashMap<>();
    targets.put(TargetSpec.LOCAL, TargetSpec.local(Position.start(context.file())));
    if (mapping == null) {
      return targets;
    }
    for (Map.Entry<String, NodeTuple> entry : mapping.entries().entrySet()) {
      String name = entry.getKey();
      Position position = context.position(entry.getValue().getKeyNode());
      if (!RunbookParser.NAME.matcher(name.replace('-', '_')).matches()) {
        context.problem(position, "target name '" + name + "' must be letters, digits, '_' or '-'");
      }
      YamlMapping spec =
          YamlMapping.of(context, entry.getValue().getValueNode(), "target '" + name + "'");
      TargetSpec target = spec == null ? null : readTarget(name, spec, position, context);
      // An unreadable target is kept (its problem is reported) so steps naming it add no more.
      targets.put(name, target != null ? target : TargetSpec.unreadable(name, position));
    }
    return targets;
  }

  private static TargetSpec readTarget(
      String name, YamlMapping spec, Position position, ParseContext context) {
    List<String> kinds = spec.keys().stream().filter(KINDS::contains).toList();
    if (kinds.size() != 1) {
      context.problem(
          position,
          "target '"
              + name
              + "' must have exactly one of ssh, kubectl, local"
              + (kinds.isEmpty()
                  ? Suggestions.hint(firstKey(spec), KINDS)
                  : ", not " + String.join(" and ", kinds)));
      return null;
    }
    String kind = kinds.get(0);
    Map<String, Template> settings = new LinkedHashMap<>();
    switch (kind) {
      case "local" -> {
        spec.rejectUnknown(List.of("local"));
        if (Boolean.FALSE.equals(spec.bool("local"))) {
          context.problem(
              spec.valuePosition("local"), "target '" + name + "': write 'local: true'");
        }
      }
      case "ssh" -> {
        spec.rejectUnknown(SSH_FIELDS);
        put(spec, "ssh", "host", settings, context);
        for (String key : List.of("user", "port", "become", "identity")) {
          put(spec, key, key, settings, context);
        }
      }
      default -> readKubectl(name, spec, settings, context);
    }
    return new TargetSpec(name, kind, settings, position);
  }

  private static void readKubectl(
      String name, YamlMapping spec, Map<String, Template> settings, ParseContext context) {
    for (String key : spec.keysOutside(List.of("kubectl"))) {
      String problem =
          KUBECTL_FIELDS.contains(key)
              ? "'" + key + "' belongs inside the 'kubectl:' mapping"
              : "unknown field '" + key + "'" + spec.hint(key, List.of("kubectl"));
      context.problem(spec.keyPosition(key), "target '" + name + "': " + problem);
    }
    YamlMapping kubectl = spec.mapping("kubectl");
    if (kubectl == null) {
      return;
    }
    kubectl.rejectUnknown(KUBECTL_FIELDS);
    for (String key : KUBECTL_FIELDS) {
      put(kubectl, key, key, settings, context);
    }
    Template binary = settings.get("binary");
    if (binary != null && binary.isLiteral() && !BINARIES.contains(binary.raw())) {
      context.problem(
          kubectl.valuePosition("binary"),
          kubectl.owner()
              + ": 'binary' must be kubectl or oc, not '"
              + binary.raw()
              + "'"
              + Suggestions.hint(binary.raw(), BINARIES));
    }
  }

  private static String firstKey(YamlMapping spec) {
    return spec.keys().isEmpty() ? "" : spec.keys().iterator().next();
  }

  private static void put(
      YamlMapping spec, String key, String as, Map<String, Template> into, ParseContext context) {
    ScalarNode scalar = spec.scalar(key);
    if (scalar != null) {
      into.put(as, context.template(scalar, Set.of()));
    }
  }
}
