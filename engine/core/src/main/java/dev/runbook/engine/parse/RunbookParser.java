package dev.runbook.engine.parse;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.TargetKind;
import dev.runbook.engine.model.Library;
import dev.runbook.engine.model.LibraryUse;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Source;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

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
          "trigger",
          "params",
          "targets",
          "procedures",
          "steps",
          "uses");

  /** The top level of a library file: a name and procedures, nothing that runs on its own. */
  static final List<String> LIBRARY_TOP_LEVEL =
      List.of("library", "title", "description", "procedures");

  static final String LIBRARY_FILE = "library file";

  /** A library's name, and a library procedure's: no '.', which joins the two in a call. */
  static final Pattern LIBRARY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  /** Who holds the top-level fields, in messages. */
  static final String FILE = "runbook file";

  static final List<String> SEVERITIES = List.of("critical", "major", "minor", "warning", "info");
  private static final List<String> SOURCE_FIELDS =
      List.of("document", "section", "applies", "url");
  private static final List<String> PROCEDURE_FIELDS = List.of("doc", "inputs", "steps");
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, ActionDescriptor> actions;
  private final TargetParser targets;

  /**
   * @param actions the actions the installed plugins offer, by name: a step key that is neither a
   *     field nor one of these is reported as unknown
   * @param targetKinds the kinds of target the installed plugins bring, by name
   */
  public RunbookParser(Map<String, ActionDescriptor> actions, Map<String, TargetKind> targetKinds) {
    // Sorted, not Map.copyOf: "did you mean" must pick the same name on every run.
    this.actions = Collections.unmodifiableMap(new TreeMap<>(actions));
    this.targets = new TargetParser(Collections.unmodifiableMap(new TreeMap<>(targetKinds)));
  }

  /** A parser for what the installed plugins offer. */
  public RunbookParser(PluginRegistry plugins) {
    this(plugins.descriptors(), plugins.targetKinds());
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
              .decode(ByteBuffer.wrap(content))
              .toString();
    } catch (CharacterCodingException e) {
      context.problem(Position.start(label), "the file is not UTF-8 text");
      return new ParseResult(null, context.problems());
    }
    context.text(text);
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
    if (!looksLikeRunbook(root.get())) {
      context.problem(
          Position.start(label),
          "this does not look like a runbook: its top level is not a mapping with 'runbook:',"
              + " 'title:' and 'steps:'");
      return new ParseResult(null, context.problems(), true);
    }
    if (isLibrary(root.get())) {
      YamlMapping top = YamlMapping.of(context, root.get(), LIBRARY_FILE);
      Library library = readLibrary(top, context, sha256(content));
      return ParseResult.ofLibrary(library, context.problems());
    }
    YamlMapping top = YamlMapping.of(context, root.get(), FILE);
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

  /**
   * Deeper than any runbook needs (a runbook is about 8 levels deep); the node composer recurses
   * per level, so a hostile file thousands of levels deep would otherwise overflow the stack.
   */
  static final int MAX_NESTING = 64;

  private static Optional<Node> compose(String text, ParseContext context) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(context.file())
            .setAllowDuplicateKeys(true) // reported by YamlMapping, with both lines
            .setUseMarks(true)
            .setCodePointLimit(MAX_CODE_POINTS)
            .build();
    try {
      if (tooDeep(settings, text, context)) {
        return Optional.empty();
      }
      return new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      Problem problem = YamlSyntax.describe(e, context.file(), text);
      context.problem(problem.position(), problem.message());
    } catch (YamlEngineException e) {
      context.problem(Position.start(context.file()), "YAML syntax: " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Whether the top level is a mapping with at least one runbook key: anything else (a password
   * file, an inventory, a list) gets one line, not a message per key quoting its content.
   */
  static boolean looksLikeRunbook(Node root) {
    if (!(root instanceof MappingNode mapping)) {
      return false;
    }
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key
          && (TOP_LEVEL.contains(key.getValue()) || key.getValue().equals("library"))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the top level says {@code library:}: a library file, not a runbook. */
  static boolean isLibrary(Node root) {
    if (root instanceof org.snakeyaml.engine.v2.nodes.MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("library")) {
          return true;
        }
      }
    }
    return false;
  }

  private Library readLibrary(YamlMapping top, ParseContext context, String hash) {
    top.rejectUnknown(LIBRARY_TOP_LEVEL);
    String id = top.requiredString("library");
    Position at = top.has("library") ? top.valuePosition("library") : top.position();
    if (id != null && !LIBRARY_ID.matcher(id).matches()) {
      context.problem(
          at,
          "library name '"
              + Suggestions.shorten(id)
              + "' may hold only letters, digits, '_' and '-' (a call joins it to a procedure's"
              + " name with '.')");
    }
    StepParser stepParser = new StepParser(context, actions);
    Map<String, Procedure> procedures = Map.of();
    if (top.require("procedures")) {
      procedures = readProcedures(top.mapping("procedures"), context, stepParser);
      for (Procedure procedure : procedures.values()) {
        String name = procedure.name();
        if (LIBRARY_ID.matcher(name).matches()) {
          continue;
        }
        context.problem(
            procedure.position(),
            "procedure name '"
                + name
                + "' in a library may hold only letters, digits, '_' and '-': a runbook"
                + " calls it as "
                + (id == null ? "LIBRARY" : id)
                + "."
                + name.replace('.', '-'));
      }
      if (procedures.isEmpty() && top.mapping("procedures") != null) {
        context.problem(
            top.valuePosition("procedures"),
            "'procedures' is empty: a library holds at least one procedure");
      }
    }
    return new Library(
        id == null ? "?" : id,
        top.string("title"),
        top.string("description"),
        procedures,
        context.file(),
        hash,
        at);
  }

  /** Files larger than this are not runbooks (the largest shipped one is about 25 KB). */
  static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

  /**
   * Walks the file's events (an iterative parser, unlike the composer) and reports the first
   * collection nested deeper than {@link #MAX_NESTING}.
   */
  private static boolean tooDeep(LoadSettings settings, String text, ParseContext context) {
    int depth = 0;
    for (Event event : new Parse(settings).parseString(text)) {
      if (event instanceof CollectionStartEvent) {
        depth++;
        if (depth > MAX_NESTING) {
          Position at =
              event
                  .getStartMark()
                  .map(m -> new Position(context.file(), m.getLine() + 1, m.getColumn() + 1))
                  .orElse(Position.start(context.file()));
          context.problem(
              at,
              "nested more than "
                  + MAX_NESTING
                  + " levels deep; a runbook is never that deep, so this does not look like one");
          return true;
        }
      } else if (event instanceof CollectionEndEvent) {
        depth--;
      }
    }
    return false;
  }

  private Runbook readRunbook(YamlMapping top, ParseContext context, String hash) {
    top.rejectUnknown(TOP_LEVEL);
    String id = readId(top, context);
    String title = top.requiredString("title");
    String severity = readSeverity(top, context);
    Template lock = null;
    ScalarNode lockNode = top.scalar("lock");
    if (lockNode != null) {
      lock = context.template(lockNode, Set.of());
    }
    Map<String, ParamSpec> params = ParamParser.read(top.mapping("params"), context, false);
    Map<String, TargetSpec> targets = this.targets.read(top.mapping("targets"), context);
    StepParser stepParser = new StepParser(context, actions);
    Map<String, Procedure> procedures =
        readProcedures(top.mapping("procedures"), context, stepParser);
    List<Step> steps = List.of();
    if (top.require("steps")) {
      steps = stepParser.readSteps(top.node("steps"), FILE);
      if (isEmptyList(top.node("steps"))) {
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
        TriggerParser.read(top, context),
        params,
        targets,
        procedures,
        steps,
        context.file(),
        hash,
        readUses(top, context),
        Map.of());
  }

  /** {@code uses: [mrs-common]}: the libraries whose procedures the runbook calls. */
  private static List<LibraryUse> readUses(YamlMapping top, ParseContext context) {
    List<LibraryUse> uses = new java.util.ArrayList<>();
    Map<String, Position> seen = new LinkedHashMap<>();
    for (Node item : top.sequence("uses")) {
      if (!(item instanceof ScalarNode scalar) || YamlMapping.isNull(scalar)) {
        context.problem(item, "items of 'uses' must be library names");
        continue;
      }
      String name = scalar.getValue();
      Position at = context.position(scalar);
      Position first = seen.putIfAbsent(name, at);
      if (first != null) {
        context.problem(
            at,
            "library '" + name + "' is named twice in 'uses' (first at line " + first.line() + ")");
        continue;
      }
      if (!LIBRARY_ID.matcher(name).matches()) {
        context.problem(
            at,
            "library name '"
                + Suggestions.shorten(name)
                + "' may hold only letters, digits, '_' and '-'");
        continue;
      }
      uses.add(new LibraryUse(name, at));
    }
    return uses;
  }

  private static String readId(YamlMapping top, ParseContext context) {
    String id = top.requiredString("runbook");
    if (id != null && !ID.matcher(id).matches()) {
      context.problem(
          top.valuePosition("runbook"),
          "runbook id '" + id + "' may hold only letters, digits, '.', '_' and '-'");
    }
    return id;
  }

  private static String readSeverity(YamlMapping top, ParseContext context) {
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
    return severity;
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
      Map<String, ParamSpec> inputs = ParamParser.read(spec.mapping("inputs"), context, true);
      List<Step> steps = List.of();
      if (spec.require("steps")) {
        steps = stepParser.readSteps(spec.node("steps"), "procedure '" + name + "'");
        if (isEmptyList(spec.node("steps"))) {
          context.problem(
              spec.valuePosition("steps"),
              "procedure '" + name + "': 'steps' is empty: a procedure needs at least one step");
        }
      }
      procedures.put(name, new Procedure(name, spec.string("doc"), inputs, steps, position));
    }
    return procedures;
  }

  private static boolean isEmptyList(Node node) {
    return node instanceof SequenceNode sequence && sequence.getValue().isEmpty();
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
