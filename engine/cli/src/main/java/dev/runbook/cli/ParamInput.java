package dev.runbook.cli;

import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.Suggestions;
import dev.runbook.engine.validate.ParamValues;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Collects a run's parameter values from {@code -p NAME=VALUE}, {@code -p NAME=@FILE} (secrets) and
 * {@code RUNBOOK_SECRET_<NAME>}, and checks every one against its type before anything runs. A
 * secret's value is never part of any message.
 */
final class ParamInput {

  private final Function<String, String> environment;
  private final dev.runbook.engine.library.Inventory inventory;

  ParamInput(Function<String, String> environment, dev.runbook.engine.library.Inventory inventory) {
    this.environment = environment;
    this.inventory = inventory;
  }

  /**
   * {@code @flink} in a hosts value becomes the group's members, from the inventory. Only a {@code
   * hosts} parameter gives {@code @} this meaning: any other value is taken as given.
   */
  private String expandGroups(ParamSpec spec, String value, List<String> problems) {
    if (spec.type() != dev.runbook.engine.model.ParamType.HOSTS || !value.contains("@")) {
      return value;
    }
    List<String> hosts = new ArrayList<>();
    for (String item : value.split(",")) {
      String name = item.strip();
      if (!name.startsWith("@")) {
        hosts.add(name);
        continue;
      }
      if (spec.type() != dev.runbook.engine.model.ParamType.HOSTS) {
        problems.add(
            "parameter "
                + spec.name()
                + " ("
                + spec.type().label()
                + ") takes one host; "
                + name
                + " is a group, which only a hosts parameter can take");
        return value;
      }
      java.util.Optional<List<String>> members = inventory.group(name.substring(1));
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

  /**
   * @param requireAll whether a missing required parameter is an error (a real run) or a warning (a
   *     dry-run, which shows it as {@code <params.NAME>})
   */
  Map<String, String> collect(
      Runbook runbook, Map<String, String> given, boolean requireAll, PrintWriter err) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
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
      Optional<String> value =
          valueOf(spec, given.get(spec.name()), err, problems, requireAll && spec.required());
      if (value.isEmpty()) {
        if (spec.required() && spec.defaultValue() == null) {
          String message =
              "parameter "
                  + spec.name()
                  + " is required"
                  + (spec.doc() == null ? "" : " (" + spec.doc() + ")")
                  + ": give -p "
                  + spec.name()
                  + "="
                  + (spec.secret() ? "@FILE or set " + envName(spec) : "VALUE");
          if (requireAll) {
            problems.add(message);
          } else {
            err.println("note: " + message + "; the plan shows <params." + spec.name() + ">");
          }
        }
        continue;
      }
      value = Optional.of(expandGroups(spec, value.get(), problems));
      Optional<String> problem = ParamValues.problem(spec, value.get());
      if (problem.isPresent()) {
        String shown = spec.secret() ? "the value" : "'" + value.get() + "'";
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
      values.put(spec.name(), value.get());
    }
    if (!problems.isEmpty()) {
      problems.subList(0, problems.size() - 1).forEach(p -> err.println("runbook: " + p));
      throw new UserException(ExitCodes.USAGE, problems.get(problems.size() - 1));
    }
    return values;
  }

  private Optional<String> valueOf(
      ParamSpec spec, String given, PrintWriter err, List<String> problems, boolean prompt) {
    if (given == null) {
      if (!spec.secret()) {
        return Optional.empty();
      }
      String fromEnvironment = environment.apply(envName(spec));
      if (fromEnvironment == null) {
        fromEnvironment = environment.apply(SECRET_PREFIX + spec.name());
      }
      if (fromEnvironment == null && prompt) {
        return SecretPrompt.ask(spec);
      }
      return Optional.ofNullable(fromEnvironment);
    }
    if (spec.secret() && given.startsWith("@@")) {
      return Optional.of(given.substring(1)); // @@ writes a literal @
    }
    if (spec.secret() && given.startsWith("@")) {
      try {
        String content = Files.readString(Path.of(given.substring(1)), StandardCharsets.UTF_8);
        return Optional.of(
            content.endsWith("\n") ? content.substring(0, content.length() - 1) : content);
      } catch (IOException e) {
        problems.add(
            "parameter "
                + spec.name()
                + ": cannot read "
                + given.substring(1)
                + ": "
                + e.getMessage());
        return Optional.empty();
      }
    }
    if (spec.secret()) {
      err.println(
          "warning: secret parameter "
              + spec.name()
              + " was given on the command line, where other users"
              + " can see it (ps, shell history); prefer -p "
              + spec.name()
              + "=@FILE or "
              + envName(spec));
    }
    return Optional.of(given);
  }

  static final String SECRET_PREFIX = "RUNBOOK_SECRET_";

  /**
   * {@code RUNBOOK_SECRET_<NAME>}; the parameter's own case ({@code RUNBOOK_SECRET_Password}) too.
   */
  static String envName(ParamSpec spec) {
    return SECRET_PREFIX + spec.name().toUpperCase(Locale.ROOT);
  }
}
