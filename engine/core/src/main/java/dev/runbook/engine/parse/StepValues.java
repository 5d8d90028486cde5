package dev.runbook.engine.parse;

import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Cases;
import dev.runbook.engine.model.Condition;
import dev.runbook.engine.model.Durations;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.SourceMap;
import dev.runbook.engine.model.Template;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads the values steps share: conditions, texts, durations, outcomes and branches. */
final class StepValues {

  private static final List<String> OUTCOMES =
      Arrays.stream(Outcome.values()).map(Outcome::label).toList();

  private final ParseContext context;

  StepValues(ParseContext context) {
    this.context = context;
  }

  Condition condition(YamlMapping step, String key) {
    ScalarNode scalar = step.scalar(key);
    if (scalar == null) {
      return new Condition("false", step.keyPosition(key));
    }
    SourceMap source = context.sourceMap(scalar);
    return new Condition(scalar.getValue(), source.start(), source);
  }

  /** Question and instruction texts may show values: "Log in to ${params.HostName} as omm". */
  Template text(YamlMapping step, String key) {
    ScalarNode scalar = step.scalar(key);
    if (scalar == null) {
      return new Template("", List.of(), step.keyPosition(key));
    }
    Template template = context.template(scalar, Set.of());
    return new Template(
        template.raw().strip(), template.parts(), template.position(), template.source());
  }

  /** A duration that may be a template (${params.Wait}); a literal one is checked now. */
  Template duration(ScalarNode node, String owner) {
    Template template = context.template(node, Set.of());
    if (template.isLiteral()) {
      literalDuration(node, owner);
    }
    return template;
  }

  Duration literalDuration(ScalarNode node, String owner) {
    try {
      return Durations.parse(node.getValue());
    } catch (IllegalArgumentException e) {
      context.problem(node, owner + ": " + e.getMessage());
      return null;
    }
  }

  Outcome outcome(YamlMapping mapping, String key, String name) {
    String label = mapping.string(key);
    if (label == null) {
      return null;
    }
    Outcome outcome = Outcome.fromLabel(label);
    if (outcome == null) {
      context.problem(
          mapping.valuePosition(key),
          name
              + ": unknown outcome '"
              + label
              + "'"
              + Suggestions.hint(label, OUTCOMES)
              + "; use one of "
              + String.join(", ", OUTCOMES));
    }
    return outcome;
  }

  Boolean yesNo(YamlMapping mapping, String key, String name) {
    String text = mapping.string(key);
    if (text == null) {
      return null;
    }
    Boolean value = YamlMapping.parseYesNo(text);
    if (value == null) {
      context.problem(
          mapping.valuePosition(key),
          name + ": '" + key + "' must be yes or no, not '" + text + "'");
    }
    return value;
  }

  /**
   * The branch under {@code key}, or null when absent or unreadable (reported). The step's {@code
   * fields} still say the key was written, so "'yes' is missing" is not reported as well.
   */
  Branch branch(YamlMapping step, String key, String name) {
    return branch(step.node(key), "'" + key + "'", name);
  }

  /**
   * The multi-way branches of a step: {@code cases:} (label to branch) and {@code default:}, or
   * null when it has no {@code cases}. Labels are the mapping's keys, so a duplicate is reported
   * where YAML is read, with both lines.
   */
  Cases cases(YamlMapping step, String name) {
    if (!step.has("cases")) {
      return null;
    }
    Map<String, Branch> byLabel = new LinkedHashMap<>();
    YamlMapping cases = step.mapping("cases");
    if (cases == null) {
      return null; // reported: not a mapping
    }
    for (Map.Entry<String, NodeTuple> entry : cases.entries().entrySet()) {
      String label = entry.getKey();
      if (label.isBlank()) {
        context.problem(cases.keyPosition(label), name + ": a case needs a label");
        continue;
      }
      Branch branch = branch(entry.getValue().getValueNode(), "case '" + label + "'", name);
      if (branch != null) {
        byLabel.put(label, branch);
      }
    }
    return new Cases(byLabel, branch(step, "default", name), step.keyPosition("cases"));
  }

  /**
   * @param what the branch, in messages: {@code 'next'}, {@code case 'ntp'}
   */
  private Branch branch(Node node, String what, String name) {
    if (node == null) {
      return null;
    }
    String key = what;
    Position position = context.position(node);
    if (node instanceof ScalarNode scalar && !YamlMapping.isNull(scalar)) {
      return new Branch.GoTo(scalar.getValue(), position);
    }
    YamlMapping inline = YamlMapping.of(context, node, name + ": " + key);
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
        name + ": " + key + " must name a step, or be {end: OUTCOME} or {return: yes|no}");
    return null;
  }
}
