package dev.runbook.engine.expr;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.api.Target;
import dev.runbook.api.TargetKind;
import dev.runbook.engine.library.Inventory;
import dev.runbook.engine.model.Durations;
import dev.runbook.engine.model.InputValue;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a step's written inputs and target into the values an action receives. */
public final class InputResolver {

  private InputResolver() {}

  /**
   * The resolved inputs of an action call.
   *
   * @param values by input name, typed as {@link dev.runbook.api.ActionRequest} documents
   * @param unresolved references that had no value
   * @param refused values that may not stand where the step puts them (a value that would be an
   *     option, a non-number in arithmetic); each message names the reference
   */
  public record Resolved(
      Map<String, Object> values, List<String> unresolved, List<String> refused) {}

  public static Resolved inputs(
      StepKind.ActionCall call, ActionDescriptor descriptor, ValueScope scope) {
    Map<String, Object> values = new LinkedHashMap<>();
    List<String> unresolved = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    call.inputs()
        .forEach(
            (name, written) -> {
              InputSpec spec = descriptor.inputs().get(name);
              InputType type = spec == null ? InputType.TEXT : spec.type();
              values.put(name, resolve(written, type, scope, unresolved, refused));
            });
    return new Resolved(values, unresolved, refused);
  }

  private static Object resolve(
      InputValue written,
      InputType type,
      ValueScope scope,
      List<String> unresolved,
      List<String> refused) {
    if (written instanceof InputValue.ListValue list) {
      List<Object> items = new ArrayList<>();
      list.items().forEach(t -> items.add(listItem(t, type, scope, unresolved, refused)));
      return items;
    }
    if (written instanceof InputValue.MapValue map) {
      Map<String, Object> entries = new LinkedHashMap<>();
      map.entries().forEach((k, t) -> entries.put(k, text(t, scope, unresolved)));
      return entries;
    }
    Template template = ((InputValue.Scalar) written).value();
    switch (type) {
      case SHELL -> {
        ShellRender.Result rendered = ShellRender.render(template, scope);
        unresolved.addAll(rendered.unresolved());
        refused.addAll(rendered.refused());
        return rendered.script();
      }
      case WORDS -> {
        WordSplit.Result split = WordSplit.split(template, scope);
        unresolved.addAll(split.unresolved());
        refused.addAll(split.refused());
        if (split.syntaxProblem() != null) {
          refused.add(split.syntaxProblem());
        }
        List<Object> words = new ArrayList<>();
        split.words().forEach(w -> words.add(w.forRequest()));
        return words;
      }
      case LIST, ARGV -> {
        return List.of(listItem(template, type, scope, unresolved, refused));
      }
      default -> {}
    }
    Object text = text(template, scope, unresolved);
    if (!(text instanceof String plain)) {
      return text; // a secret stays a Secret whatever its declared type
    }
    return switch (type) {
      case INT -> parseLong(plain);
      case BOOL -> Boolean.parseBoolean(plain);
      case DURATION -> parseDuration(plain);
      default -> plain;
    };
  }

  /** An item of a list; for an argv, a value that begins it may not look like an option. */
  private static Object listItem(
      Template template,
      InputType type,
      ValueScope scope,
      List<String> unresolved,
      List<String> refused) {
    if (type == InputType.ARGV
        && !template.parts().isEmpty()
        && template.parts().get(0) instanceof Template.Reference first) {
      scope
          .lookup(first.path())
          .filter(v -> v.text().startsWith("-") && !v.mayStartWithDash())
          .ifPresent(
              v ->
                  refused.add(
                      "${"
                          + first.dotted()
                          + "} begins an argument, and its value starts with '-', so the program"
                          + " would read it as an option; if that is meant, declare the"
                          + " parameter with allow_leading_dash: true"));
    }
    return text(template, scope, unresolved);
  }

  private static Object parseLong(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return text;
    }
  }

  private static Object parseDuration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  private static Object text(Template template, ValueScope scope, List<String> unresolved) {
    Rendered rendered = Interpolator.render(template, Interpolator.Mode.TEXT, scope);
    unresolved.addAll(rendered.unresolved());
    return rendered.forRequest();
  }

  /** A step's target with its settings filled in, and any references that had no value. */
  public record ResolvedTarget(Target target, List<String> unresolved) {}

  /**
   * The target a step runs on.
   *
   * @param on the step's {@code on:}, or null for {@code local}
   */
  public static ResolvedTarget target(Runbook runbook, Template on, ValueScope scope) {
    return target(runbook, on, scope, Inventory.EMPTY);
  }

  /** The target a step runs on, with the inventory's settings for its host filled in. */
  public static ResolvedTarget target(
      Runbook runbook, Template on, ValueScope scope, Inventory inventory) {
    List<String> unresolved = new ArrayList<>();
    String name = TargetSpec.LOCAL;
    if (on != null) {
      Rendered rendered = Interpolator.render(on, Interpolator.Mode.TEXT, scope);
      unresolved.addAll(rendered.unresolved());
      name = rendered.text();
    }
    return named(runbook, name, scope, inventory, unresolved);
  }

  /**
   * Where the commands of a step on {@code target} run. A client target (a {@code kubectl:}
   * cluster) is not a machine: its program runs on its {@code via} target, or on the engine's
   * machine. Any other target runs its own commands.
   */
  public static ResolvedTarget host(
      Runbook runbook, Target target, ValueScope scope, Inventory inventory) {
    TargetSpec spec = runbook.targets().get(target.name());
    if (spec == null || !spec.client()) {
      return new ResolvedTarget(target, List.of());
    }
    String via = target.properties().get(TargetKind.VIA);
    if (via == null || via.isBlank()) {
      return new ResolvedTarget(Target.LOCAL, List.of());
    }
    return named(runbook, via, scope, inventory, new ArrayList<>());
  }

  private static ResolvedTarget named(
      Runbook runbook,
      String name,
      ValueScope scope,
      Inventory inventory,
      List<String> unresolved) {
    TargetSpec spec = runbook.targets().get(name);
    if (spec == null) {
      unresolved.add("target " + name);
      return new ResolvedTarget(new Target(name, "unknown", Map.of()), unresolved);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    spec.settings()
        .forEach(
            (key, template) -> {
              Rendered rendered = Interpolator.render(template, Interpolator.Mode.TEXT, scope);
              unresolved.addAll(rendered.unresolved());
              properties.put(key, rendered.text());
            });
    return new ResolvedTarget(
        new Target(spec.name(), spec.kind(), inventory.apply(spec.kind(), properties)), unresolved);
  }

  /** Parameter values as templates see them: given values, else defaults; secrets flagged. */
  public static Map<String, Value> paramValues(Runbook runbook, Map<String, String> given) {
    Map<String, Value> values = new LinkedHashMap<>();
    for (ParamSpec param : runbook.params().values()) {
      String value =
          given.containsKey(param.name()) ? given.get(param.name()) : param.defaultValue();
      if (value != null) {
        values.put(param.name(), new Value(value, param.secret(), param.allowLeadingDash()));
      }
    }
    return values;
  }
}
