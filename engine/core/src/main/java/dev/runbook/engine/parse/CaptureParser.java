package dev.runbook.engine.parse;

import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Position;
import java.util.List;

/**
 * Reads a step's {@code capture:}, the typed value an ask or a manual step learns ("obtain the IP
 * address of the host from Location"): {@code {name: AlarmHost, type: host}}. The value is checked
 * by the parameters' own rules ({@link dev.runbook.engine.validate.ParamValues}), so the capture is
 * a {@link ParamSpec}.
 */
final class CaptureParser {

  static final List<String> FIELDS =
      List.of("name", "type", "pattern", "secret", "allow_leading_dash");

  /**
   * The types a person can type in as an answer. Not {@code bool} (that is a yes/no question),
   * {@code enum} (that is a question with {@code cases}), {@code duration} or {@code target}.
   */
  static final List<ParamType> TYPES =
      List.of(ParamType.STRING, ParamType.HOST, ParamType.HOSTS, ParamType.INT, ParamType.PATH);

  private CaptureParser() {}

  /** The capture under {@code capture:}, or null when it is unreadable (reported). */
  static ParamSpec read(YamlMapping step, ParseContext context, String stepName) {
    YamlMapping spec = step.mapping("capture");
    if (spec == null) {
      return null;
    }
    spec.rejectUnknown(FIELDS);
    String name = spec.requiredString("name");
    if (name == null) {
      return null;
    }
    Position at = spec.valuePosition("name");
    if (!RunbookParser.NAME.matcher(name).matches()) {
      context.problem(
          at,
          stepName
              + ": capture name '"
              + Suggestions.shorten(name)
              + "' must be an identifier (letters, digits, '_'), so later steps can say"
              + " ${captured."
              + name.replaceAll("[^A-Za-z0-9_]", "_")
              + "}");
    }
    ParamType type = ParamParser.type(spec, context, TYPES);
    String pattern = ParamParser.pattern(spec, type, context, "captures");
    boolean secret = Boolean.TRUE.equals(spec.bool("secret"));
    if (secret && type != ParamType.STRING) {
      context.problem(
          spec.keyPosition("secret"),
          stepName + ": 'secret' applies only to string captures, not to " + type.label());
      secret = false;
    }
    return new ParamSpec(
        name,
        type,
        true,
        null,
        secret,
        null,
        List.of(),
        pattern,
        at,
        null,
        Boolean.TRUE.equals(spec.bool("allow_leading_dash")));
  }
}
