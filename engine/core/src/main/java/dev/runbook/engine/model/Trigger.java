package dev.runbook.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an alert starts a runbook ({@code runbook serve}): which alerts it takes beyond its {@code
 * alarms:}, which labels fill which parameters, what runs without a person, and which of its
 * questions the alert itself answers.
 *
 * @param matchers label matchers every alert must satisfy, in Alertmanager's syntax ({@code
 *     severity=critical}, {@code cluster=~prod-.*}, {@code env!=test}, {@code team!~db|dba})
 * @param params parameter name → template over the alert's labels ({@code ${labels.instance}})
 * @param policy what a triggered run does by itself
 * @param answers step id → {@code yes}/{@code no}: questions the alert answers (step 1 "find the
 *     host the alarm is for" is answered by the alert that names it)
 * @param position where {@code trigger:} is, for messages (the file's start when it has none)
 */
public record Trigger(
    List<LabelMatcher> matchers,
    Map<String, Located> params,
    Policy policy,
    Map<String, Located> answers,
    Position position) {

  /** A runbook without {@code trigger:}: alarms select it, labels fill parameters of their name. */
  public static Trigger defaults(String file) {
    return new Trigger(List.of(), Map.of(), Policy.APPROVE, Map.of(), Position.start(file));
  }

  public Trigger {
    matchers = List.copyOf(matchers);
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    Objects.requireNonNull(policy, "policy");
    answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
  }

  /** Whether an alert with these labels satisfies every matcher. */
  public boolean matches(Map<String, String> labels) {
    return matchers.stream().allMatch(m -> m.test(labels));
  }

  /**
   * The parameter values an alert gives: every label named like a declared parameter, then each
   * {@code params:} template rendered over the labels (a template that names a missing label gives
   * no value, so a required parameter is then reported missing). Values are not checked here: they
   * go through the same type checks as {@code -p}.
   */
  public Map<String, String> values(Map<String, String> labels, Iterable<String> declared) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : declared) {
      if (labels.containsKey(name)) {
        values.put(name, labels.get(name));
      }
    }
    params.forEach(
        (name, template) -> render(template.text(), labels).ifPresent(v -> values.put(name, v)));
    return values;
  }

  /** A value as written, and where: for messages about it. */
  public record Located(String text, Position position) {
    public Located {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(position, "position");
    }
  }

  /** The answers the alert gives, by step id: {@code yes} or {@code no}. */
  public Map<String, String> answerValues() {
    Map<String, String> values = new LinkedHashMap<>();
    answers.forEach((step, value) -> values.put(step, value.text()));
    return values;
  }

  /** {@code ${labels.NAME}} in a template. */
  public static final Pattern LABEL_REFERENCE = Pattern.compile("\\$\\{labels\\.([^}]*)}");

  /** The template with each label it names filled in; empty when a named label is missing. */
  static Optional<String> render(String template, Map<String, String> labels) {
    Matcher m = LABEL_REFERENCE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = labels.get(m.group(1));
      if (value == null) {
        return Optional.empty();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return Optional.of(out.toString());
  }

  /** What a triggered run does without a person. */
  public enum Policy {
    /**
     * The default: every step that changes nothing runs; the run pauses before its first step with
     * {@code changes: true} until a person approves ({@code runbook approve RUN}).
     */
    APPROVE,
    /** Every step runs by itself; questions and manual steps still wait for a person. */
    AUTO,
    /** Nothing runs: the alert gets a dry-run plan, recorded and notified. */
    PLAN;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Policy> of(String label) {
      for (Policy p : values()) {
        if (p.label().equals(label)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }

    public static List<String> labels() {
      List<String> labels = new ArrayList<>();
      for (Policy p : values()) {
        labels.add(p.label());
      }
      return labels;
    }
  }

  /**
   * One label matcher, as Alertmanager writes them: {@code name=value}, {@code name!=value}, {@code
   * name=~regex}, {@code name!~regex}. A regex matches the whole value; a missing label is the
   * empty string (as in Alertmanager).
   */
  public record LabelMatcher(String label, Op op, String value, Pattern regex) {

    public LabelMatcher {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
    }

    public boolean test(Map<String, String> labels) {
      String actual = labels.getOrDefault(label, "");
      return switch (op) {
        case EQUAL -> actual.equals(value);
        case NOT_EQUAL -> !actual.equals(value);
        case REGEX -> regex.matcher(actual).matches();
        case NOT_REGEX -> !regex.matcher(actual).matches();
      };
    }

    @Override
    public String toString() {
      return label + op.symbol + value;
    }

    /** The operators, longest first so that {@code !=} is not read as {@code =}. */
    public enum Op {
      REGEX("=~"),
      NOT_REGEX("!~"),
      NOT_EQUAL("!="),
      EQUAL("=");

      public final String symbol;

      Op(String symbol) {
        this.symbol = symbol;
      }
    }
  }
}
