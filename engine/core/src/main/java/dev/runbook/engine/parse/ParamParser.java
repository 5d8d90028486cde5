package dev.runbook.engine.parse;

import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Position;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Reads {@code params:} and the {@code inputs:} of procedures. */
final class ParamParser {

  private static final List<String> PARAM_FIELDS =
      List.of(
          "type",
          "required",
          "default",
          "secret",
          "doc",
          "values",
          "pattern",
          "allow_leading_dash");

  private ParamParser() {}

  /** Reads {@code params:} or a procedure's {@code inputs:} (which may also be of type target). */
  static Map<String, ParamSpec> read(
      YamlMapping mapping, ParseContext context, boolean procedureInputs) {
    Map<String, ParamSpec> params = new LinkedHashMap<>();
    if (mapping == null) {
      return params;
    }
    String what = procedureInputs ? "input" : "parameter";
    for (Map.Entry<String, NodeTuple> entry : mapping.entries().entrySet()) {
      String name = entry.getKey();
      Position position = context.position(entry.getValue().getKeyNode());
      if (!RunbookParser.NAME.matcher(name).matches()) {
        context.problem(
            position,
            what
                + " name '"
                + name
                + "' must be an identifier (letters, digits, '_'), so"
                + " conditions can say params."
                + name.replaceAll("[^A-Za-z0-9_]", "_"));
      }
      Node value = entry.getValue().getValueNode();
      YamlMapping spec =
          YamlMapping.isNull(value)
              ? null
              : YamlMapping.of(context, value, what + " '" + name + "'");
      // Kept even when unreadable (reported), so uses of the name add no follow-on problems.
      params.put(name, readParam(name, spec, position, context, procedureInputs));
    }
    return params;
  }

  private static ParamSpec readParam(
      String name, YamlMapping spec, Position position, ParseContext context, boolean inputs) {
    if (spec == null) {
      return new ParamSpec(
          name, ParamType.STRING, false, null, false, null, List.of(), null, position, null);
    }
    spec.rejectUnknown(PARAM_FIELDS);
    ParamType type = type(spec, context, inputs ? INPUT_TYPES : PARAM_TYPES);
    String pattern = pattern(spec, type, context, "parameters");
    List<String> values = spec.strings("values");
    if (type == ParamType.ENUM && values.isEmpty()) {
      context.problem(position, spec.owner() + ": type enum needs 'values'");
    }
    if (type != ParamType.ENUM && spec.has("values")) {
      context.problem(
          spec.keyPosition("values"), spec.owner() + ": 'values' applies only to enum parameters");
    }
    Boolean required = spec.bool("required");
    Boolean secret = spec.bool("secret");
    return new ParamSpec(
        name,
        type,
        Boolean.TRUE.equals(required),
        spec.string("default"),
        Boolean.TRUE.equals(secret),
        spec.string("doc"),
        values,
        pattern,
        position,
        spec.has("default") ? spec.valuePosition("default") : null,
        Boolean.TRUE.equals(spec.bool("allow_leading_dash")));
  }

  /** Every type: procedure inputs may also name a target. */
  static final List<ParamType> INPUT_TYPES = List.of(ParamType.values());

  static final List<ParamType> PARAM_TYPES =
      Arrays.stream(ParamType.values()).filter(t -> t != ParamType.TARGET).toList();

  /** The declared type; string when none is given or it is not one of {@code types} (reported). */
  static ParamType type(YamlMapping spec, ParseContext context, List<ParamType> types) {
    String typeName = spec.string("type");
    if (typeName == null) {
      return ParamType.STRING;
    }
    ParamType parsed = ParamType.fromLabel(typeName);
    List<String> allowed = types.stream().map(ParamType::label).toList();
    if (parsed != null && allowed.contains(typeName)) {
      return parsed;
    }
    context.problem(
        spec.valuePosition("type"),
        spec.owner()
            + ": unknown type '"
            + typeName
            + "'"
            + Suggestions.hint(typeName, allowed)
            + "; use one of "
            + String.join(", ", allowed));
    return ParamType.STRING;
  }

  /**
   * The pattern when it applies and compiles; otherwise null, and the problem is reported.
   *
   * @param what what holds it, in messages: {@code parameters}, {@code captures}
   */
  static String pattern(YamlMapping spec, ParamType type, ParseContext context, String what) {
    String pattern = spec.string("pattern");
    if (pattern == null) {
      return null;
    }
    if (type != ParamType.STRING) {
      context.problem(
          spec.keyPosition("pattern"), spec.owner() + ": 'pattern' applies only to string " + what);
      return null;
    }
    try {
      Pattern.compile(pattern);
      return pattern;
    } catch (PatternSyntaxException e) {
      context.problem(
          spec.valuePosition("pattern"),
          spec.owner()
              + ": pattern '"
              + pattern
              + "' is not a valid regular expression ("
              + e.getDescription()
              + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "")
              + ")");
      return null;
    }
  }
}
