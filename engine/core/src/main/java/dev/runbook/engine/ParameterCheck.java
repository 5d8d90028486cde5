package dev.runbook.engine;

import dev.runbook.engine.library.Inventory;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.Suggestions;
import dev.runbook.engine.validate.ParamValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A run's parameter values checked before anything runs, the same for every caller (a person's
 * {@code -p}, an alert's labels): names the runbook does not declare, required values missing,
 * {@code @group} of a {@code hosts} parameter expanded from the inventory, and every value against
 * its type. A secret's value is never part of a message.
 *
 * @param values the values to run with (groups expanded)
 * @param problems one line each; empty when the values may run
 * @param notes what a dry-run should say about missing required values
 */
public record ParameterCheck(
    Map<String, String> values, List<String> problems, List<String> notes) {

  public ParameterCheck {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
  }

  /**
   * @param requireAll whether a missing required value is a problem (a run) or a note (a dry-run,
   *     which shows it as {@code <params.NAME>})
   */
  public static ParameterCheck of(
      Runbook runbook, Map<String, String> given, Inventory inventory, boolean requireAll) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String name : given.keySet()) {
      if (!runbook.params().containsKey(name)) {
        problems.add(
            "runbook "
                + runbook.id()
                + " has no parameter '"
                + name
                + "'"
                + Suggestions.hint(name, runbook.params().keySet())
                + "; it takes "
                + (runbook.params().isEmpty()
                    ? "none"
                    : String.join(", ", runbook.params().keySet())));
      }
    }
    for (ParamSpec spec : runbook.params().values()) {
      String value = given.get(spec.name());
      if (value == null) {
        if (spec.required() && spec.defaultValue() == null) {
          String message =
              "parameter "
                  + spec.name()
                  + " is required"
                  + (spec.doc() == null ? "" : " (" + spec.doc() + ")")
                  + ": give -p "
                  + spec.name()
                  + "="
                  + (spec.secret() ? "@FILE or set " + secretVariable(spec) : "VALUE");
          if (requireAll) {
            problems.add(message);
          } else {
            notes.add(message + "; the plan shows <params." + spec.name() + ">");
          }
        }
        continue;
      }
      value = expandGroups(spec, value, inventory, problems);
      Optional<String> problem = ParamValues.problem(spec, value);
      if (problem.isPresent()) {
        String shown = spec.secret() ? "the value" : "'" + value + "'";
        problems.add(
            "parameter "
                + spec.name()
                + " ("
                + spec.type().label()
                + "): "
                + shown
                + " "
                + problem.get());
        continue;
      }
      values.put(spec.name(), value);
    }
    return new ParameterCheck(values, problems, notes);
  }

  /** The environment variable a secret parameter may come from: {@code RUNBOOK_SECRET_<NAME>}. */
  public static String secretVariable(ParamSpec spec) {
    return "RUNBOOK_SECRET_" + spec.name().toUpperCase(Locale.ROOT);
  }

  /**
   * {@code @flink} in a hosts value becomes the group's members, from the inventory. Only a {@code
   * hosts} parameter gives {@code @} this meaning: any other value is taken as given.
   */
  private static String expandGroups(
      ParamSpec spec, String value, Inventory inventory, List<String> problems) {
    if (spec.type() != ParamType.HOSTS || !value.contains("@")) {
      return value;
    }
    List<String> hosts = new ArrayList<>();
    for (String item : value.split(",")) {
      String name = item.strip();
      if (!name.startsWith("@")) {
        hosts.add(name);
        continue;
      }
      Optional<List<String>> members = inventory.group(name.substring(1));
      if (members.isEmpty()) {
        problems.add(
            "parameter "
                + spec.name()
                + ": no host group '"
                + name.substring(1)
                + "' in the inventory"
                + (inventory.groupNames().isEmpty()
                    ? " (give one with --inventory FILE)"
                    : Suggestions.hint(name.substring(1), inventory.groupNames())));
        return value;
      }
      hosts.addAll(members.get());
    }
    return String.join(",", hosts);
  }
}
