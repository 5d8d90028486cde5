package dev.runbook.engine.parse;

import dev.runbook.api.TargetKind;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads {@code targets:}: each one exactly one of the kinds the installed plugins bring, written as
 * its {@link TargetKind} says ({@code local: true}, {@code ssh: HOST} with settings beside it,
 * {@code kubectl: {settings}}). Which settings a kind takes is the plugin's business; this class
 * knows none of them.
 */
final class TargetParser {

  private final Map<String, TargetKind> kinds;

  TargetParser(Map<String, TargetKind> kinds) {
    this.kinds = kinds;
  }

  Map<String, TargetSpec> read(YamlMapping mapping, ParseContext context) {
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

  private TargetSpec readTarget(
      String name, YamlMapping spec, Position position, ParseContext context) {
    List<String> names = List.copyOf(kinds.keySet());
    List<String> found = spec.keys().stream().filter(kinds::containsKey).toList();
    if (found.size() != 1) {
      context.problem(
          position,
          "target '"
              + name
              + "' must have exactly one of "
              + String.join(", ", names)
              + (found.isEmpty()
                  ? Suggestions.hint(firstKey(spec), names)
                  : ", not " + String.join(" and ", found)));
      return null;
    }
    TargetKind kind = kinds.get(found.get(0));
    Map<String, Template> settings = new LinkedHashMap<>();
    switch (kind.form()) {
      case FLAG -> {
        spec.rejectUnknown(List.of(kind.name()));
        if (Boolean.FALSE.equals(spec.bool(kind.name()))) {
          context.problem(
              spec.valuePosition(kind.name()),
              "target '" + name + "': write '" + kind.name() + ": true'");
        }
      }
      case VALUE -> {
        List<String> allowed = new ArrayList<>(kind.settingNames());
        allowed.set(0, kind.name()); // the primary setting is written under the kind's name
        spec.rejectUnknown(allowed);
        put(spec, kind.name(), kind.primary(), settings, context);
        for (String key : kind.settingNames().subList(1, kind.settingNames().size())) {
          put(spec, key, key, settings, context);
        }
        checkChoices(kind, spec, settings, context);
      }
      case MAPPING -> readMapping(name, kind, spec, settings, context);
    }
    return new TargetSpec(name, kind.name(), kind.client(), settings, position);
  }

  private static void readMapping(
      String name,
      TargetKind kind,
      YamlMapping spec,
      Map<String, Template> settings,
      ParseContext context) {
    List<String> fields = kind.settingNames();
    for (String key : spec.keysOutside(List.of(kind.name()))) {
      String problem =
          fields.contains(key)
              ? "'" + key + "' belongs inside the '" + kind.name() + ":' mapping"
              : "unknown field '" + key + "'" + spec.hint(key, List.of(kind.name()));
      context.problem(spec.keyPosition(key), "target '" + name + "': " + problem);
    }
    YamlMapping inner = spec.mapping(kind.name());
    if (inner == null) {
      return;
    }
    inner.rejectUnknown(fields);
    for (String key : fields) {
      put(inner, key, key, settings, context);
    }
    checkChoices(kind, inner, settings, context);
  }

  private static void checkChoices(
      TargetKind kind, YamlMapping where, Map<String, Template> settings, ParseContext context) {
    kind.choices()
        .forEach(
            (setting, allowed) -> {
              Template value = settings.get(setting);
              if (value != null && value.isLiteral() && !allowed.contains(value.raw())) {
                context.problem(
                    where.valuePosition(setting),
                    where.owner()
                        + ": '"
                        + setting
                        + "' must be "
                        + String.join(" or ", allowed)
                        + ", not '"
                        + value.raw()
                        + "'"
                        + Suggestions.hint(value.raw(), allowed));
              }
            });
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
