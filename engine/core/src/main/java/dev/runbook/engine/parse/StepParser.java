package dev.runbook.engine.parse;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.engine.expr.Durations;
import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Condition;
import dev.runbook.engine.model.InputValue;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Retry;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
      List.of("changes", "idempotent", "timeout", "retry", "if", "until", "every", "exit_codes");
  static final List<String> KINDS =
      List.of("if", "sleep", "ask", "manual", "call", "foreach", "end", "return");
  static final List<String> EXTRAS = List.of("with", "as", "parallel", "message");
  private static final String UNREADABLE = "";
  private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  private final ParseContext context;
  private final Map<String, ActionDescriptor> actions;
  private final Set<String> fields;

  StepParser(ParseContext context, Map<String, ActionDescriptor> actions) {
    this.context = context;
    this.actions = actions;
    Set<String> all = new LinkedHashSet<>();
    all.addAll(COMMON);
    all.addAll(ACTION_FIELDS);
    all.addAll(KINDS);
    all.addAll(EXTRAS);
    this.fields = Set.copyOf(all);
  }

  List<Step> readSteps(Node node, String owner) {
    if (!(node instanceof SequenceNode sequence)) {
      context.problem(node, owner + " must be a list of steps, not " + YamlMapping.describe(node));
      return List.of();
    }
    List<Step> steps = new ArrayList<>();
    int index = 0;
    for (Node item : sequence.getValue()) {
      index++;
      String id = peekId(item);
      String name = id != null ? "step '" + id + "'" : owner + ": step #" + index;
      YamlMapping mapping = YamlMapping.of(context, item, name);
      if (mapping != null) {
        Step step = readStep(mapping, index, name);
        if (step != null) {
          steps.add(step);
        }
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
    YamlMapping m = step;
    String id = m.has("id") ? m.string("id") : null;
    if (id == null && !m.has("id")) {
      context.problem(m.position(), name + ": missing required field 'id'");
    } else if (id != null && !STEP_ID.matcher(id).matches()) {
      context.problem(
          m.valuePosition("id"),
          name
              + ": id may hold only letters, digits, '_' and '-', and starts with a letter or digit");
    }
    List<String> actionKeys = new ArrayList<>();
    for (String key : step.keys()) {
      if (fields.contains(key)) {
        continue;
      }
      if (actions.containsKey(key)) {
        actionKeys.add(key);
      } else {
        Set<String> known = new LinkedHashSet<>(fields);
        known.addAll(actions.keySet());
        context.problem(
            step.keyPosition(key),
            name + ": unknown field or action '" + key + "'" + Suggestions.hint(key, known));
      }
    }
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
      List<String> choices = new ArrayList<>(actions.keySet());
      choices.sort(null);
      choices.addAll(KINDS);
      context.problem(
          m.position(),
          name + ": the step does nothing; give it one of " + String.join(", ", choices));
      kinds.add(UNREADABLE);
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
      kinds.add(0, UNREADABLE);
    }
    String kindKey = kinds.get(0);
    StepKind kind = new StepKind.Unreadable();
    if (!kindKey.equals(UNREADABLE)) {
      checkApplicable(step, name, kindKey, !actionKeys.isEmpty());
      StepKind read = readKind(step, name, kindKey, !actionKeys.isEmpty());
      kind = read == null ? kind : read;
    }
    Map<String, Position> positions = new HashMap<>();
    for (String key : step.keys()) {
      positions.put(key, step.keyPosition(key));
    }
    ScalarNode on = step.scalar("on");
    return new Step(
        id == null ? "#" + index : id,
        m.position(),
        step.string("title"),
        step.string("ref"),
        step.string("doc"),
        on == null ? null : context.template(on, Set.of()),
        kind,
        branch(step, "next", name),
        branch(step, "yes", name),
        branch(step, "no", name),
        branch(step, "on_failure", name),
        step.integer("max_visits", 1),
        positions);
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
      return readAction(step, name, kindKey);
    }
    return switch (kindKey) {
      case "if" -> new StepKind.Decision(condition(step, "if"));
      case "sleep" -> {
        ScalarNode value = step.scalar("sleep");
        yield value == null ? null : new StepKind.Sleep(duration(value, name + ": 'sleep'"));
      }
      case "ask" -> new StepKind.Ask(text(step, "ask"));
      case "manual" -> new StepKind.Manual(text(step, "manual"));
      case "call" -> {
        String procedure = step.string("call");
        yield procedure == null
            ? null
            : new StepKind.Call(procedure, step.valuePosition("call"), with(step, Set.of()));
      }
      case "foreach" -> readForeach(step, name);
      case "end" -> {
        Outcome outcome = outcome(step, "end", name);
        yield outcome == null ? null : new StepKind.End(outcome, step.string("message"));
      }
      case "return" -> {
        Boolean value = yesNo(step, "return", name);
        yield value == null ? null : new StepKind.Return(value);
      }
      default -> throw new IllegalStateException("kind " + kindKey);
    };
  }

  private StepKind readAction(YamlMapping step, String name, String action) {
    ActionDescriptor descriptor = actions.get(action);
    Node value = step.node(action);
    Map<String, InputValue> inputs = new LinkedHashMap<>();
    if (value instanceof ScalarNode scalar && !YamlMapping.isNull(scalar)) {
      if (descriptor.shorthand() == null) {
        context.problem(
            scalar,
            name
                + ": action '"
                + action
                + "' takes a mapping of inputs ("
                + String.join(", ", descriptor.inputs().keySet())
                + "), not a single value");
      } else {
        inputs.put(
            descriptor.shorthand(), new InputValue.Scalar(context.template(scalar, Set.of())));
      }
    } else if (value instanceof MappingNode) {
      YamlMapping mapping = YamlMapping.of(context, value, name + ": '" + action + "'");
      for (Map.Entry<String, NodeTuple> entry : mapping.entries().entrySet()) {
        InputValue input =
            inputValue(entry.getValue().getValueNode(), name + ": input '" + entry.getKey() + "'");
        if (input != null) {
          inputs.put(entry.getKey(), input);
        }
      }
    } else {
      context.problem(
          value,
          name + ": action '" + action + "' needs its inputs, not " + YamlMapping.describe(value));
    }
    ScalarNode timeout = step.scalar("timeout");
    ScalarNode every = step.scalar("every");
    return new StepKind.ActionCall(
        action,
        step.keyPosition(action),
        inputs,
        step.has("changes") ? step.bool("changes") : null,
        Boolean.TRUE.equals(step.bool("idempotent")),
        timeout == null ? null : duration(timeout, name + ": 'timeout'"),
        retry(step, name),
        step.has("if") ? condition(step, "if") : null,
        step.has("until") ? condition(step, "until") : null,
        every == null ? null : duration(every, name + ": 'every'"),
        exitCodes(step, name));
  }

  private InputValue inputValue(Node node, String owner) {
    if (node instanceof ScalarNode scalar && !YamlMapping.isNull(scalar)) {
      return new InputValue.Scalar(context.template(scalar, Set.of()));
    }
    if (node instanceof SequenceNode sequence) {
      List<Template> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (item instanceof ScalarNode scalar && !YamlMapping.isNull(scalar)) {
          items.add(context.template(scalar, Set.of()));
        } else {
          context.problem(item, owner + ": list items must be single values");
        }
      }
      return new InputValue.ListValue(items, context.position(node));
    }
    if (node instanceof MappingNode) {
      YamlMapping mapping = YamlMapping.of(context, node, owner);
      Map<String, Template> entries = new LinkedHashMap<>();
      for (String key : mapping.keys()) {
        ScalarNode scalar = mapping.scalar(key);
        if (scalar != null) {
          entries.put(key, context.template(scalar, Set.of()));
        }
      }
      return new InputValue.MapValue(entries, context.position(node));
    }
    context.problem(node, owner + " is empty");
    return null;
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

  private Retry retry(YamlMapping step, String name) {
    Node node = step.node("retry");
    if (node == null) {
      return Retry.NONE;
    }
    if (node instanceof ScalarNode) {
      Integer attempts = step.integer("retry", 1);
      return attempts == null ? Retry.NONE : new Retry(attempts, Duration.ZERO);
    }
    YamlMapping retry = step.mapping("retry");
    if (retry == null) {
      return Retry.NONE;
    }
    retry.rejectUnknown(List.of("attempts", "delay"));
    Integer attempts = retry.integer("attempts", 1);
    Duration delay = Duration.ZERO;
    ScalarNode delayNode = retry.scalar("delay");
    if (delayNode != null) {
      Duration parsed = literalDuration(delayNode, name + ": retry 'delay'");
      delay = parsed == null ? Duration.ZERO : parsed;
    }
    return new Retry(attempts == null ? 1 : attempts, delay);
  }

  private List<Integer> exitCodes(YamlMapping step, String name) {
    if (!step.has("exit_codes")) {
      return List.of(0);
    }
    List<Integer> codes = new ArrayList<>();
    for (String text : step.strings("exit_codes")) {
      try {
        int code = Integer.parseInt(text);
        if (code < 0 || code > 255) {
          throw new NumberFormatException();
        }
        codes.add(code);
      } catch (NumberFormatException e) {
        context.problem(
            step.valuePosition("exit_codes"),
            name
                + ": 'exit_codes' holds '"
                + text
                + "'; exit codes are whole numbers from 0 to 255");
      }
    }
    return codes;
  }

  private Condition condition(YamlMapping step, String key) {
    ScalarNode scalar = step.scalar(key);
    if (scalar == null) {
      return new Condition("false", step.keyPosition(key));
    }
    return new Condition(scalar.getValue(), context.contentPosition(scalar));
  }

  /** Question and instruction texts may show values: "Log in to ${params.HostName} as omm". */
  private Template text(YamlMapping step, String key) {
    ScalarNode scalar = step.scalar(key);
    if (scalar == null) {
      return new Template("", List.of(), step.keyPosition(key));
    }
    Template template = context.template(scalar, Set.of());
    return new Template(template.raw().strip(), template.parts(), template.position());
  }

  /** A duration that may be a template (${params.Wait}); a literal one is checked now. */
  private Template duration(ScalarNode node, String owner) {
    Template template = context.template(node, Set.of());
    if (template.isLiteral()) {
      literalDuration(node, owner);
    }
    return template;
  }

  private Duration literalDuration(ScalarNode node, String owner) {
    try {
      return Durations.parse(node.getValue());
    } catch (IllegalArgumentException e) {
      context.problem(node, owner + ": " + e.getMessage());
      return null;
    }
  }

  private Outcome outcome(YamlMapping mapping, String key, String name) {
    String label = mapping.string(key);
    if (label == null) {
      return null;
    }
    Outcome outcome = Outcome.fromLabel(label);
    if (outcome == null) {
      List<String> labels = java.util.Arrays.stream(Outcome.values()).map(Outcome::label).toList();
      context.problem(
          mapping.valuePosition(key),
          name
              + ": unknown outcome '"
              + label
              + "'"
              + Suggestions.hint(label, labels)
              + "; use one of "
              + String.join(", ", labels));
    }
    return outcome;
  }

  private Boolean yesNo(YamlMapping mapping, String key, String name) {
    String text = mapping.string(key);
    if (text == null) {
      return null;
    }
    Boolean value = YamlMapping.parseBool(text);
    if (value == null) {
      context.problem(
          mapping.valuePosition(key),
          name + ": '" + key + "' must be yes or no, not '" + text + "'");
    }
    return value;
  }

  private Branch branch(YamlMapping step, String key, String name) {
    Node node = step.node(key);
    if (node == null) {
      return null;
    }
    Position position = context.position(node);
    if (node instanceof ScalarNode scalar && !YamlMapping.isNull(scalar)) {
      return new Branch.GoTo(scalar.getValue(), position);
    }
    YamlMapping inline = YamlMapping.of(context, node, name + ": '" + key + "'");
    if (inline == null) {
      return null;
    }
    if (inline.has("end")) {
      inline.rejectUnknown(List.of("end", "message"));
      Outcome outcome = outcome(inline, "end", name);
      return outcome == null
          ? null
          : new Branch.EndRun(outcome, inline.string("message"), position);
    }
    if (inline.has("return")) {
      inline.rejectUnknown(List.of("return"));
      Boolean value = yesNo(inline, "return", name);
      return value == null ? null : new Branch.Return(value, position);
    }
    context.problem(
        position,
        name + ": '" + key + "' must name a step, or be {end: OUTCOME} or {return: yes|no}");
    return null;
  }
}
