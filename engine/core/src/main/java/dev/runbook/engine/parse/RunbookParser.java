package dev.runbook.engine.parse;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Source;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.model.Template;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads a runbook file into the model. Checks structure only (fields, types, duplicates, syntax);
 * meaning (references, graph, expressions) is the validator's job.
 *
 * <p>Thread-safe; one instance serves any number of files.
 */
public final class RunbookParser {

  static final List<String> TOP_LEVEL =
      List.of(
          "runbook",
          "title",
          "description",
          "source",
          "alarms",
          "severity",
          "lock",
          "params",
          "targets",
          "procedures",
          "steps");
  static final List<String> SEVERITIES = List.of("critical", "major", "minor", "warning", "info");
  private static final List<String> PARAM_FIELDS =
      List.of("type", "required", "default", "secret", "doc", "values", "pattern");
  private static final List<String> SOURCE_FIELDS =
      List.of("document", "section", "applies", "url");
  private static final List<String> PROCEDURE_FIELDS = List.of("doc", "inputs", "steps");
  private static final List<String> TARGET_KINDS = List.of("ssh", "kubectl", "local");
  private static final List<String> SSH_FIELDS =
      List.of("ssh", "user", "port", "become", "identity");
  private static final List<String> KUBECTL_FIELDS =
      List.of("context", "namespace", "kubeconfig", "binary");
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, ActionDescriptor> actions;

  /**
   * @param actions the actions the installed plugins offer, by name: a step key that is neither a
   *     field nor one of these is reported as unknown
   */
  public RunbookParser(Map<String, ActionDescriptor> actions) {
    this.actions = Map.copyOf(actions);
  }

  public ParseResult parse(Path path, String label) throws IOException {
    return parse(label, Files.readAllBytes(path));
  }

  public ParseResult parse(String label, byte[] content) {
    ParseContext context = new ParseContext(label);
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(content))
              .toString();
    } catch (CharacterCodingException e) {
      context.problem(Position.start(label), "the file is not UTF-8 text");
      return new ParseResult(null, context.problems());
    }
    if (findTabs(text, context)) {
      return new ParseResult(null, context.problems());
    }
    Optional<Node> root = compose(text, context);
    if (root.isEmpty()) {
      if (context.problems().isEmpty()) {
        context.problem(
            Position.start(label),
            "the file is empty: a runbook needs at least 'runbook', 'title' and 'steps'");
      }
      return new ParseResult(null, context.problems());
    }
    YamlMapping top = YamlMapping.of(context, root.get(), "runbook file");
    if (top == null) {
      return new ParseResult(null, context.problems());
    }
    Runbook runbook = readRunbook(top, context, sha256(content));
    return new ParseResult(runbook, context.problems());
  }

  /** Tabs in indentation are the most common copy-paste accident; name each one exactly. */
  private static boolean findTabs(String text, ParseContext context) {
    boolean found = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      for (int col = 0; col < line.length(); col++) {
        char c = line.charAt(col);
        if (c == '\t') {
          context.problem(
              new Position(context.file(), i + 1, col + 1),
              "tab character in indentation; YAML indents with spaces");
          found = true;
          break;
        }
        if (c != ' ' && c != '-') {
          break;
        }
      }
    }
    return found;
  }

  private static Optional<Node> compose(String text, ParseContext context) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(context.file())
            .setAllowDuplicateKeys(true) // reported by YamlMapping, with both lines
            .setUseMarks(true)
            .build();
    try {
      return new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      Position position =
          e.getProblemMark().map(context::position).orElse(Position.start(context.file()));
      String problem = e.getProblem() == null ? "not valid YAML" : e.getProblem();
      String where = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      context.problem(position, "YAML syntax: " + problem + where);
    } catch (YamlEngineException e) {
      context.problem(Position.start(context.file()), "YAML syntax: " + e.getMessage());
    }
    return Optional.empty();
  }

  private Runbook readRunbook(YamlMapping top, ParseContext context, String hash) {
    top.rejectUnknown(TOP_LEVEL);
    String id = top.requiredString("runbook");
    if (id != null && !ID.matcher(id).matches()) {
      context.problem(
          top.valuePosition("runbook"),
          "runbook id '" + id + "' may hold only letters, digits, '.', '_' and '-'");
    }
    String title = top.requiredString("title");
    String severity = top.string("severity");
    if (severity != null && !SEVERITIES.contains(severity)) {
      context.problem(
          top.valuePosition("severity"),
          "unknown severity '"
              + severity
              + "'"
              + Suggestions.hint(severity, SEVERITIES)
              + "; use one of "
              + String.join(", ", SEVERITIES));
    }
    Template lock = null;
    ScalarNode lockNode = top.scalar("lock");
    if (lockNode != null) {
      lock = context.template(lockNode, Set.of());
    }
    Map<String, ParamSpec> params = readParams(top.mapping("params"), context, false);
    Map<String, TargetSpec> targets = readTargets(top.mapping("targets"), context);
    StepParser stepParser = new StepParser(context, actions);
    Map<String, Procedure> procedures =
        readProcedures(top.mapping("procedures"), context, stepParser);
    List<Step> steps = List.of();
    if (!top.has("steps")) {
      context.problem(top.position(), "runbook file: missing required field 'steps'");
    } else {
      steps = stepParser.readSteps(top.node("steps"), "steps");
      if (steps.isEmpty() && top.sequence("steps").isEmpty()) {
        context.problem(
            top.valuePosition("steps"), "'steps' is empty: a runbook needs at least one step");
      }
    }
    return new Runbook(
        id == null ? "?" : id,
        title,
        top.string("description"),
        readSource(top.mapping("source"), context),
        top.strings("alarms"),
        severity,
        lock,
        params,
        targets,
        procedures,
        steps,
        context.file(),
        hash);
  }

  private static Source readSource(YamlMapping source, ParseContext context) {
    if (source == null) {
      return null;
    }
    source.rejectUnknown(SOURCE_FIELDS);
    return new Source(
        source.requiredString("document"),
        source.string("section"),
        source.string("applies"),
        source.string("url"));
  }

  /** Reads {@code params:} or a procedure's {@code inputs:} (which may also be of type target). */
  static Map<String, ParamSpec> readParams(
      YamlMapping mapping, ParseContext context, boolean procedureInputs) {
    Map<String, ParamSpec> params = new LinkedHashMap<>();
    if (mapping == null) {
      return params;
    }
    String what = procedureInputs ? "input" : "parameter";
    for (Map.Entry<String, NodeTuple> entry : mapping.entries().entrySet()) {
      String name = entry.getKey();
      Position position = context.position(entry.getValue().getKeyNode());
      if (!NAME.matcher(name).matches()) {
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
      if (spec == null && !YamlMapping.isNull(value)) {
        continue;
      }
      params.put(name, readParam(name, spec, position, context, procedureInputs));
    }
    return params;
  }

  private static ParamSpec readParam(
      String name, YamlMapping spec, Position position, ParseContext context, boolean inputs) {
    if (spec == null) {
      return new ParamSpec(
          name, ParamType.STRING, false, null, false, null, List.of(), null, position);
    }
    spec.rejectUnknown(PARAM_FIELDS);
    ParamType type = ParamType.STRING;
    String typeName = spec.string("type");
    if (typeName != null) {
      ParamType parsed = ParamType.fromLabel(typeName);
      List<String> allowed =
          java.util.Arrays.stream(ParamType.values())
              .filter(t -> inputs || t != ParamType.TARGET)
              .map(ParamType::label)
              .toList();
      if (parsed == null || !allowed.contains(typeName)) {
        context.problem(
            spec.valuePosition("type"),
            spec.owner()
                + ": unknown type '"
                + typeName
                + "'"
                + Suggestions.hint(typeName, allowed)
                + "; use one of "
                + String.join(", ", allowed));
      } else {
        type = parsed;
      }
    }
    String pattern = spec.string("pattern");
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        context.problem(
            spec.valuePosition("pattern"),
            spec.owner() + ": 'pattern' is not a valid regular expression: " + e.getDescription());
      }
    }
    List<String> values = spec.strings("values");
    if (type == ParamType.ENUM && values.isEmpty()) {
      context.problem(position, spec.owner() + ": type enum needs 'values'");
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
        position);
  }

  private static Map<String, TargetSpec> readTargets(YamlMapping mapping, ParseContext context) {
    Map<String, TargetSpec> targets = new LinkedHashMap<>();
    targets.put(TargetSpec.LOCAL, TargetSpec.local(Position.start(context.file())));
    if (mapping == null) {
      return targets;
    }
    for (Map.Entry<String, NodeTuple> entry : mapping.entries().entrySet()) {
      String name = entry.getKey();
      Position position = context.position(entry.getValue().getKeyNode());
      if (!NAME.matcher(name.replace('-', '_')).matches()) {
        context.problem(position, "target name '" + name + "' must be letters, digits, '_' or '-'");
      }
      YamlMapping spec =
          YamlMapping.of(context, entry.getValue().getValueNode(), "target '" + name + "'");
      if (spec == null) {
        continue;
      }
      TargetSpec target = readTarget(name, spec, position, context);
      if (target != null) {
        targets.put(name, target);
      }
    }
    return targets;
  }

  private static TargetSpec readTarget(
      String name, YamlMapping spec, Position position, ParseContext context) {
    List<String> kinds = spec.keys().stream().filter(TARGET_KINDS::contains).toList();
    if (kinds.size() != 1) {
      context.problem(
          position,
          "target '"
              + name
              + "' must have exactly one of ssh, kubectl, local"
              + (kinds.isEmpty()
                  ? Suggestions.hint(firstKey(spec), TARGET_KINDS)
                  : ", not " + String.join(" and ", kinds)));
      return null;
    }
    String kind = kinds.get(0);
    Map<String, Template> settings = new LinkedHashMap<>();
    switch (kind) {
      case "local" -> {
        spec.rejectUnknown(List.of("local"));
        if (!Boolean.TRUE.equals(spec.bool("local"))) {
          context.problem(
              spec.valuePosition("local"), "target '" + name + "': write 'local: true'");
        }
      }
      case "ssh" -> {
        spec.rejectUnknown(SSH_FIELDS);
        putTemplate(spec, "ssh", "host", settings, context);
        for (String key : List.of("user", "port", "become", "identity")) {
          putTemplate(spec, key, key, settings, context);
        }
      }
      default -> {
        spec.rejectUnknown(List.of("kubectl", "via"));
        YamlMapping kubectl = spec.mapping("kubectl");
        if (kubectl != null) {
          kubectl.rejectUnknown(KUBECTL_FIELDS);
          for (String key : KUBECTL_FIELDS) {
            putTemplate(kubectl, key, key, settings, context);
          }
        }
        putTemplate(spec, "via", "via", settings, context);
      }
    }
    return new TargetSpec(name, kind, settings, position);
  }

  private static String firstKey(YamlMapping spec) {
    return spec.keys().isEmpty() ? "" : spec.keys().iterator().next();
  }

  private static void putTemplate(
      YamlMapping spec, String key, String as, Map<String, Template> into, ParseContext context) {
    ScalarNode scalar = spec.scalar(key);
    if (scalar != null) {
      into.put(as, context.template(scalar, Set.of()));
    }
  }

  private static Map<String, Procedure> readProcedures(
      YamlMapping mapping, ParseContext context, StepParser stepParser) {
    Map<String, Procedure> procedures = new LinkedHashMap<>();
    if (mapping == null) {
      return procedures;
    }
    for (Map.Entry<String, NodeTuple> entry : mapping.entries().entrySet()) {
      String name = entry.getKey();
      Position position = context.position(entry.getValue().getKeyNode());
      if (!ID.matcher(name).matches()) {
        context.problem(
            position,
            "procedure name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
      }
      YamlMapping spec =
          YamlMapping.of(context, entry.getValue().getValueNode(), "procedure '" + name + "'");
      if (spec == null) {
        continue;
      }
      spec.rejectUnknown(PROCEDURE_FIELDS);
      Map<String, ParamSpec> inputs = readParams(spec.mapping("inputs"), context, true);
      List<Step> steps = List.of();
      if (!spec.has("steps")) {
        context.problem(position, "procedure '" + name + "': missing required field 'steps'");
      } else {
        steps = stepParser.readSteps(spec.node("steps"), "procedure '" + name + "'");
      }
      procedures.put(name, new Procedure(name, spec.string("doc"), inputs, steps, position));
    }
    return procedures;
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
