package dev.runbook.engine.parse;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads {@code trigger:}: label matchers, label → parameter templates, the policy, and the answers
 * the alert gives. Checks the shape of each (matcher syntax, regexes, template references, yes/no);
 * whether the parameters and steps it names exist is the validator's job.
 */
final class TriggerParser {

  static final List<String> FIELDS = List.of("matchers", "params", "policy", "answers");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern MATCHER = Pattern.compile("\\s*([^=!~\\s]+)\\s*(=~|!~|!=|=)(.*)");
  private static final Pattern ANY_REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

  private TriggerParser() {}

  static Trigger read(YamlMapping top, ParseContext context) {
    YamlMapping spec = top.mapping("trigger");
    if (spec == null) {
      return Trigger.defaults(context.file());
    }
    spec.rejectUnknown(FIELDS);
    return new Trigger(
        matchers(spec, context),
        params(spec, context),
        policy(spec, context),
        answers(spec, context),
        top.keyPosition("trigger"));
  }

  private static List<Trigger.LabelMatcher> matchers(YamlMapping spec, ParseContext context) {
    List<Trigger.LabelMatcher> matchers = new ArrayList<>();
    for (Node item : spec.sequence("matchers")) {
      if (!(item instanceof ScalarNode scalar) || YamlMapping.isNull(item)) {
        context.problem(
            item,
            "trigger: each of 'matchers' is one matcher such as severity=critical, not "
                + YamlMapping.describe(item));
        continue;
      }
      Matcher m = MATCHER.matcher(scalar.getValue());
      if (!m.matches() || !LABEL.matcher(m.group(1)).matches()) {
        context.problem(
            context.contentPosition(scalar),
            "trigger: matcher '"
                + scalar.getValue()
                + "' is not LABEL=VALUE, LABEL!=VALUE, LABEL=~REGEX or LABEL!~REGEX");
        continue;
      }
      Trigger.LabelMatcher.Op op = op(m.group(2));
      String value = unquote(m.group(3).strip());
      Pattern regex = null;
      if (op == Trigger.LabelMatcher.Op.REGEX || op == Trigger.LabelMatcher.Op.NOT_REGEX) {
        try {
          regex = Pattern.compile(value);
        } catch (PatternSyntaxException e) {
          context.problem(
              context.contentPosition(scalar),
              "trigger: matcher '"
                  + scalar.getValue()
                  + "': not a regular expression ("
                  + e.getDescription()
                  + ")");
          continue;
        }
      }
      matchers.add(new Trigger.LabelMatcher(m.group(1), op, value, regex));
    }
    return matchers;
  }

  private static Trigger.LabelMatcher.Op op(String symbol) {
    for (Trigger.LabelMatcher.Op op : Trigger.LabelMatcher.Op.values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    throw new IllegalArgumentException(symbol);
  }

  /** Alertmanager allows {@code severity="critical"}: the quotes are not part of the value. */
  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static Map<String, Trigger.Located> params(YamlMapping spec, ParseContext context) {
    Map<String, Trigger.Located> params = new LinkedHashMap<>();
    YamlMapping mapping = spec.mapping("params");
    if (mapping == null) {
      return params;
    }
    for (Map.Entry<String, NodeTuple> entry : mapping.entries().entrySet()) {
      Node value = entry.getValue().getValueNode();
      if (!(value instanceof ScalarNode scalar) || YamlMapping.isNull(value)) {
        context.problem(
            value,
            "trigger: params: '"
                + entry.getKey()
                + "' must be a template such as \"${labels.instance}\", not "
                + YamlMapping.describe(value));
        continue;
      }
      Position at = context.contentPosition(scalar);
      Matcher refs = ANY_REFERENCE.matcher(scalar.getValue());
      boolean ok = true;
      while (refs.find()) {
        String ref = refs.group(1);
        if (!ref.startsWith("labels.") || !LABEL.matcher(ref.substring(7)).matches()) {
          context.problem(
              at.shifted(refs.start()),
              "trigger: params: '"
                  + entry.getKey()
                  + "': ${"
                  + ref
                  + "} is not a label; a trigger fills parameters from the alert's labels"
                  + " only: ${labels.NAME}");
          ok = false;
        }
      }
      if (ok) {
        params.put(
            entry.getKey(),
            new Trigger.Located(
                scalar.getValue(), context.position(entry.getValue().getKeyNode())));
      }
    }
    return params;
  }

  private static Trigger.Policy policy(YamlMapping spec, ParseContext context) {
    String policy = spec.string("policy");
    if (policy == null) {
      return Trigger.Policy.APPROVE;
    }
    return Trigger.Policy.of(policy)
        .orElseGet(
            () -> {
              context.problem(
                  spec.valuePosition("policy"),
                  "trigger: unknown policy '"
                      + policy
                      + "'"
                      + Suggestions.hint(policy, Trigger.Policy.labels())
                      + "; use approve (pause before the first change, the default), auto or"
                      + " plan");
              return Trigger.Policy.APPROVE;
            });
  }

  private static Map<String, Trigger.Located> answers(YamlMapping spec, ParseContext context) {
    Map<String, Trigger.Located> answers = new LinkedHashMap<>();
    YamlMapping mapping = spec.mapping("answers");
    if (mapping == null) {
      return answers;
    }
    for (Map.Entry<String, NodeTuple> entry : mapping.entries().entrySet()) {
      Node value = entry.getValue().getValueNode();
      Position at = context.position(entry.getValue().getKeyNode());
      if (!(value instanceof ScalarNode scalar)
          || YamlMapping.parseYesNo(scalar.getValue()) == null) {
        context.problem(
            value,
            "trigger: answers: '"
                + entry.getKey()
                + "' must be yes or no, not "
                + (value instanceof ScalarNode s
                    ? YamlMapping.written(s)
                    : YamlMapping.describe(value)));
        continue;
      }
      answers.put(entry.getKey(), new Trigger.Located(scalar.getValue(), at));
    }
    return answers;
  }
}
