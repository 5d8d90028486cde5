package dev.runbook.engine.parse;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.engine.model.InputValue;
import dev.runbook.engine.model.Retry;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads an action step: the action's inputs and the fields every action step may carry. */
final class ActionParser {

  private final ParseContext context;
  private final Map<String, ActionDescriptor> actions;
  private final StepValues values;

  ActionParser(ParseContext context, Map<String, ActionDescriptor> actions, StepValues values) {
    this.context = context;
    this.actions = actions;
    this.values = values;
  }

  /** The action call, or null when its inputs cannot be read at all (reported). */
  StepKind.ActionCall read(YamlMapping step, String name, String action) {
    Map<String, InputValue> inputs = inputs(step, name, action);
    if (inputs == null) {
      return null;
    }
    ScalarNode timeout = step.scalar("timeout");
    ScalarNode every = step.scalar("every");
    return new StepKind.ActionCall(
        action,
        step.keyPosition(action),
        inputs,
        step.has("changes") ? step.bool("changes") : null,
        Boolean.TRUE.equals(step.bool("idempotent")),
        timeout == null ? null : values.duration(timeout, name + ": 'timeout'"),
        retry(step, name),
        step.has("if") ? values.condition(step, "if") : null,
        step.has("until") ? values.condition(step, "until") : null,
        every == null ? null : values.duration(every, name + ": 'every'"),
        exitCodes(step, name),
        Boolean.TRUE.equals(step.bool("secret_output")));
  }

  private Map<String, InputValue> inputs(YamlMapping step, String name, String action) {
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
        return null;
      }
      inputs.put(descriptor.shorthand(), new InputValue.Scalar(context.template(scalar, Set.of())));
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
      return null;
    }
    return inputs;
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
      Duration parsed = values.literalDuration(delayNode, name + ": retry 'delay'");
      delay = parsed == null ? Duration.ZERO : parsed;
    }
    return new Retry(attempts == null ? 1 : attempts, delay);
  }

  /** Each code is checked where it is written, so a long list points at the wrong one. */
  private List<Integer> exitCodes(YamlMapping step, String name) {
    if (!step.has("exit_codes")) {
      return List.of(0);
    }
    List<Integer> codes = new ArrayList<>();
    for (Node item : step.sequence("exit_codes")) {
      if (!(item instanceof ScalarNode scalar) || YamlMapping.isNull(item)) {
        context.problem(item, name + ": items of 'exit_codes' must be single values");
        continue;
      }
      Integer code = scalar.isPlain() ? YamlMapping.parseInt(scalar.getValue()) : null;
      if (code != null && code >= 0 && code <= 255) {
        codes.add(code);
      } else {
        context.problem(
            scalar,
            name
                + ": 'exit_codes' holds "
                + YamlMapping.written(scalar)
                + "; exit codes are whole numbers from 0 to 255");
      }
    }
    return codes;
  }
}
