package dev.runbook.engine.parse;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads step lists: the kind of each step, its fields and its branches. */
final class StepParser {

  static final List<String> COMMON =
      List.of("id", "title", "ref", "doc", "on", "next", "yes", "no", "on_failure", "max_visits");
  static final List<String> ACTION_FIELDS =
      List.of(
          "changes",
          "idempotent",
          "timeout",
          "retry",
          "if",
          "until",
          "every",
          "exit_codes",
          "secret_output");
  static final List<String> KINDS =
      List.of("if", "switch", "sleep", "ask", "manual", "call", "foreach", "end", "return");
  static final List<String> EXTRAS =
      List.of("with", "as", "parallel", "message", "capture", "cases", "default");
  private static final String UNREADABLE = "";

  /**
   * Lower case, and no dots: {@code ${steps.ID.field}} splits on dots, so a dotted id could not be
   * named in a template.
   */
  static final Pattern STEP_ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  private final ParseContext context;
  private final Map<String, ActionDescriptor> actions;
  private final Set<String> fields;
  private final StepValues values;
  private final ActionParser actionParser;

  StepParser(ParseContext context, Map<String, ActionDescriptor> actions) {
    this.context = context;
    this.actions = actions;
    Set<String> all = new LinkedHashSet<>();
    all.addAll(COMMON);
    all.addAll(ACTION_FIELDS);
    all.addAll(KINDS);
    all.addAll(EXTRAS);
    // In a fixed order, not Set.copyOf: "did you mean" must pick the same name on every run.
    this.fields = Collections.unmodifiableSet(all);
    this.values = new StepValues(context);
    this.actionParser = new ActionParser(context, actions, values);
  }

  /**
   * @param owner who holds the list, for messages: {@code runbook file} or {@code procedure 'x'}
   */
  List<Step> readSteps(Node node, String owner) {
    if (!(node instanceof SequenceNode sequence)) {
      context.problem(node, owner + ": 'steps' must be a list, not " + YamlMapping.describe(node));
      return List.of();
    }
    List<Step> steps = new ArrayList<>();
    int index = 0;
    for (Node item : sequence.getValue()) {
      index++;
      String id = peekId(item);
      String list = owner.equals(RunbookParser.FILE) ? "steps" : owner;
      String name = id != null ? "step '" + id + "'" : list + ": step #" + index;
      YamlMapping mapping = YamlMapping.of(context, item, name);
      if (mapping != null) {
        steps.add(readStep(mapping, index, name));
      }
    }
    return steps;
  }

  /** The step's id as written, read before the step so that every message can name it. */
  private static String peekId(Node item) {
    if (item instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && key.getValue().equals("id")
            && tuple.getValueNode() instanceof ScalarNode value
            && !YamlMapping.isNull(value)) {
          return value.getValue();
        }
      }
    }
    return null;
  }

  private Step readStep(YamlMapping step, int index, String name) {
    List<String> actionKeys = new ArrayList<>();
    boolean maybeMisspeltKind = readUnknownKeys(step, name, actionKeys);
    String id = readId(step);
    String kindKey = kindKey(step, name, actionKeys, maybeMisspeltKind);
    StepKind kind = new StepKind.Unreadable();
    if (!kindKey.equals(UNREADABLE)) {
      checkApplicable(step, name, kindKey, !actionKeys.isEmpty());
      StepKind read = readKind(step, name, kindKey, !actionKeys.isEmpty());
      kind = read == null ? kind : read;
    }
    ScalarNode on = step.scalar("on");
    return new Step(
        id == null ? "#" + index : id,
        step.position(),
        step.string("title"),
        step.string("ref"),
        step.string("doc"),
        on == null ? null : context.template(on, Set.of()),
        kind,
        values.branch(step, "next", name),
        values.branch(step, "yes", name),
        values.branch(step, "no", name),
        values.branch(step, "on_failure", name),
        values.cases(step, name),
        step.integer("max_visits", 1),
        positions(step));
  }

  /**
   * Collects the step's action keys and reports keys that are neither fields nor actions.
   *
   * @return whether an unknown key may be a misspelt action or kind ('shel')
   */
  private boolean readUnknownKeys(YamlMapping step, String name, List<String> actionKeys) {
    boolean maybeMisspeltKind = false;
    for (String key : step.keys()) {
      if (fields.contains(key)) {
        continue;
      }
      if (actions.containsKey(key)) {
        actionKeys.add(key);
        continue;
      }
      Set<String> known = new LinkedHashSet<>(fields);
      known.addAll(actions.keySet());
      Optional<String> closest = Suggestions.closest(key, known);
      maybeMisspeltKind |=
          closest.isEmpty() || actions.containsKey(closest.get()) || KINDS.contains(closest.get());
      context.problem(
          step.keyPosition(key),
          name + ": unknown field or action '" + key + "'" + step.hint(key, known));
    }
    return maybeMisspeltKind;
  }

  private String readId(YamlMapping step) {
    if (!step.require("id")) {
      return null;
    }
    String id = step.string("id");
    if (id != null && !STEP_ID.matcher(id).matches()) {
      context.problem(step.valuePosition("id"), idProblem(id));
    }
    return id;
  }

  static String idProblem(String id) {
    String what = "step id '" + id + "'";
    if (id.contains(".")) {
      return what
          + " may hold only lower-case letters, digits, '_' and '-'; not '.', which"
          + " separates the parts of ${steps.ID.field}";
    }
    if (id.substring(1).matches("[a-z0-9_-]*")) {
      return what + " must start with a lower-case letter or digit";
    }
    return what + " may hold only lower-case letters, digits, '_' and '-'";
  }

  /** The key that gives the step its kind, or UNREADABLE when there is none or more than one. */
  private String kindKey(
      YamlMapping step, String name, List<String> actionKeys, boolean maybeMisspeltKind) {
    List<String> kinds = new ArrayList<>(actionKeys);
    for (String kind : KINDS) {
      boolean partOfOther =
          (kind.equals("if") && !actionKeys.isEmpty())
              || (kind.equals("call") && step.has("foreach"));
      if (step.has(kind) && !partOfOther) {
        kinds.add(kind);
      }
    }
    if (kinds.isEmpty()) {
      // An unknown key that may be a misspelt action ('shel') is the step's one mistake.
      if (!maybeMisspeltKind) {
        List<String> choices = new ArrayList<>(actions.keySet());
        choices.sort(null);
        choices.addAll(KINDS);
        context.problem(
            step.position(),
            name + ": the step does nothing; give it one of " + String.join(", ", choices));
      }
      return UNREADABLE;
    }
    if (kinds.size() > 1) {
      context.problem(
          step.keyPosition(kinds.get(1)),
          name
              + ": a step does one thing, but this one has both '"
              + kinds.get(0)
              + "' and '"
              + kinds.get(1)
              + "'; split it into two steps");
      return UNREADABLE;
    }
    return kinds.get(0);
  }

  /** Where each key is, and each key of a mapping value as {@code key/inner}. */
  private Map<String, Position> positions(YamlMapping step) {
    Map<String, Position> positions = new LinkedHashMap<>();
    for (String key : step.keys()) {
      positions.put(key, step.keyPosition(key));
      if (step.node(key) instanceof MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode inner) {
            positions.putIfAbsent(key + "/" + inner.getValue(), context.position(inner));
          }
        }
      }
    }
    return positions;
  }

  private void checkApplicable(YamlMapping step, String name, String kindKey, boolean action) {
    if (!action) {
      for (String key : ACTION_FIELDS) {
        if (step.has(key) && !key.equals("if")) {
          context.problem(
              step.keyPosition(key), name + ": '" + key + "' applies only to action steps");
        }
      }
      if (step.has("on")) {
        context.problem(step.keyPosition("on"), name + ": 'on' applies only to action steps");
      }
    }
    if (action && step.has("if") && step.has("until")) {
      context.problem(
          step.keyPosition("until"),
          name + ": give either 'if' (decide on the result) or 'until' (poll), not both");
    }
    requireWith(
        step, name, "with", kindKey.equals("call") || kindKey.equals("foreach"), "call or foreach");
    requireWith(step, name, "as", kindKey.equals("foreach"), "foreach");
    requireWith(step, name, "parallel", kindKey.equals("foreach"), "foreach");
    requireWith(step, name, "message", kindKey.equals("end"), "end");
    requireWith(
        step, name, "capture", kindKey.equals("ask") || kindKey.equals("manual"), "ask and manual");
    requireWith(
        step, name, "cases", kindKey.equals("switch") || kindKey.equals("ask"), "switch and ask");
    if (step.has("default") && !step.has("cases")) {
      context.problem(
          step.keyPosition("default"),
          name + ": 'default' goes with 'cases': it is where a value that is no case goes");
    }
    if (step.has("capture") && step.has("cases")) {
      context.problem(
          step.keyPosition("cases"),
          name
              + ": give either 'capture' (the answer is a value) or 'cases' (the answer picks a"
              + " branch), not both");
    }
    requireWith(step, name, "every", step.has("until"), "a poll ('until')");
  }

  private void requireWith(YamlMapping step, String name, String key, boolean ok, String what) {
    if (step.has(key) && !ok) {
      context.problem(
          step.keyPosition(key), name + ": '" + key + "' applies only to " + what + " steps");
    }
  }

  private StepKind readKind(YamlMapping step, String name, String kindKey, boolean action) {
    if (action) {
      return actionParser.read(step, name, kindKey);
    }
    return switch (kindKey) {
      case "if" -> new StepKind.Decision(values.condition(step, "if"));
      case "switch" -> new StepKind.Switch(values.condition(step, "switch"));
      case "sleep" -> {
        ScalarNode value = step.scalar("sleep");
        yield value == null ? null : new StepKind.Sleep(values.duration(value, name + ": 'sleep'"));
      }
      case "ask" -> new StepKind.Ask(values.text(step, "ask"), capture(step, name));
      case "manual" -> new StepKind.Manual(values.text(step, "manual"), capture(step, name));
      case "call" -> {
        String procedure = step.string("call");
        yield procedure == null
            ? null
            : new StepKind.Call(procedure, step.valuePosition("call"), with(step, Set.of()));
      }
      case "foreach" -> readForeach(step, name);
      case "end" -> {
        var outcome = values.outcome(step, "end", name);
        yield outcome == null ? null : new StepKind.End(outcome, step.string("message"));
      }
      case "return" -> {
        Boolean value = values.yesNo(step, "return", name);
        yield value == null ? null : new StepKind.Return(value);
      }
      default -> throw new IllegalStateException("kind " + kindKey);
    };
  }

  private ParamSpec capture(YamlMapping step, String name) {
    return step.has("capture") ? CaptureParser.read(step, context, name) : null;
  }

  private StepKind readForeach(YamlMapping step, String name) {
    String as = step.has("as") ? step.string("as") : "item";
    if (as != null && !RunbookParser.NAME.matcher(as).matches()) {
      context.problem(
          step.valuePosition("as"), name + ": 'as' must be an identifier, not '" + as + "'");
    }
    String loopVariable = as == null ? "item" : as;
    List<Template> items = new ArrayList<>();
    for (Node item : step.sequence("foreach")) {
      if (item instanceof ScalarNode scalar) {
        items.add(context.template(scalar, Set.of()));
      } else {
        context.problem(item, name + ": items of 'foreach' must be single values");
      }
    }
    if (!step.has("call")) {
      context.problem(
          step.keyPosition("foreach"),
          name + ": 'foreach' needs 'call' naming the procedure to run for each item");
      return null;
    }
    Integer parallel = step.has("parallel") ? step.integer("parallel", 1) : Integer.valueOf(1);
    String procedure = step.string("call");
    if (procedure == null) {
      return null;
    }
    return new StepKind.Foreach(
        items,
        loopVariable,
        parallel == null ? 1 : parallel,
        procedure,
        step.valuePosition("call"),
        with(step, Set.of(loopVariable)));
  }

  private Map<String, Template> with(YamlMapping step, Set<String> loopVariables) {
    Map<String, Template> with = new LinkedHashMap<>();
    YamlMapping mapping = step.mapping("with");
    if (mapping == null) {
      return with;
    }
    for (String key : mapping.keys()) {
      ScalarNode scalar = mapping.scalar(key);
      if (scalar != null) {
        with.put(key, context.template(scalar, loopVariables));
      }
    }
    return with;
  }
}
