package dev.runbook.engine.plan;

import dev.runbook.api.Action;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.Secret;
import dev.runbook.api.Target;
import dev.runbook.engine.Plan;
import dev.runbook.engine.PlannedStep;
import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.expr.InputResolver;
import dev.runbook.engine.expr.Interpolator;
import dev.runbook.engine.expr.Rendered;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.library.Inventory;
import dev.runbook.engine.model.Captures;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Source;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@link Plan} of a run without running anything: actions are asked only for their
 * {@link Action#preview}, no transport is opened, no process started.
 *
 * <p>Without assumptions the plan is the whole graph: every step in list order, each call expanded
 * with its inputs bound. With assumptions ({@code --assume STEP=yes|no}) it is the one path those
 * answers select, stopping where a decision has no answer. Thread-safe.
 */
public final class Planner {

  /** Deeper than any sane runbook; procedures may not recurse, so this only guards bugs. */
  private static final int MAX_DEPTH = 8;

  private final PluginRegistry plugins;
  private final Inventory inventory;

  public Planner(PluginRegistry plugins) {
    this(plugins, Inventory.EMPTY);
  }

  /** A planner that resolves target hosts through an inventory, as a run would. */
  public Planner(PluginRegistry plugins, Inventory inventory) {
    this.plugins = plugins;
    this.inventory = inventory;
  }

  /**
   * @param assumptions step id to {@code yes} or {@code no}, or to a case of a multi-way step (or
   *     {@code other}, its default); empty for the whole graph
   */
  public Plan plan(Runbook runbook, Map<String, String> given, Map<String, String> assumptions) {
    Map<String, Value> params = InputResolver.paramValues(runbook, given);
    Captures captures = Captures.of(runbook);
    Bindings bindings =
        new Bindings(
            params,
            id -> null,
            name ->
                captures.has(name)
                    ? Value.plain("<captured by " + captures.capturedBy(name) + ">")
                    : null);
    Set<String> unresolved = new LinkedHashSet<>();
    StepPreview preview = new StepPreview(runbook, plugins, unresolved, inventory);
    List<PlannedStep> steps;
    String pathEnd = null;
    if (assumptions.isEmpty()) {
      steps = planList(runbook, runbook.steps(), null, bindings, preview, 0);
    } else {
      steps = new ArrayList<>();
      pathEnd =
          new PathPreview(preview, assumptions).walk(runbook.steps(), bindings, steps).describe();
    }
    String lock = null;
    if (runbook.lock() != null) {
      Rendered rendered = Interpolator.render(runbook.lock(), Interpolator.Mode.TEXT, bindings);
      lock = rendered.masked();
    }
    Map<String, String> assumed = new LinkedHashMap<>(assumptions);
    return new Plan(
        runbook.id(),
        runbook.title(),
        runbook.file(),
        describe(runbook.source()),
        params(runbook, given),
        lock,
        assumed,
        steps,
        pathEnd,
        List.copyOf(unresolved));
  }

  private static String describe(Source source) {
    if (source == null) {
      return null;
    }
    StringBuilder line = new StringBuilder(source.document());
    if (source.section() != null) {
      line.append(" — ").append(source.section());
    }
    if (source.applies() != null) {
      line.append(" (").append(source.applies()).append(')');
    }
    return line.toString();
  }

  private static List<Plan.PlannedParam> params(Runbook runbook, Map<String, String> given) {
    List<Plan.PlannedParam> params = new ArrayList<>();
    for (ParamSpec spec : runbook.params().values()) {
      String value = given.get(spec.name());
      String origin = "given";
      if (value == null) {
        value = spec.defaultValue();
        origin = value == null ? "missing" : "default";
      }
      if (value != null && spec.secret()) {
        value = Secret.MASK;
      }
      params.add(new Plan.PlannedParam(spec.name(), value, origin, spec.secret(), spec.required()));
    }
    return params;
  }

  static List<PlannedStep> planList(
      Runbook runbook,
      List<Step> steps,
      Procedure procedure,
      Bindings bindings,
      StepPreview preview,
      int depth) {
    List<PlannedStep> planned = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      List<PlannedStep> body = List.of();
      Optional<Procedure> callee = preview.callee(step);
      if (callee.isPresent() && depth < MAX_DEPTH) {
        Bindings inner = preview.calleeBindings(step, callee.get(), bindings);
        body = planList(runbook, callee.get().steps(), callee.get(), inner, preview, depth + 1);
      }
      String fallthrough = fallthrough(steps, i, procedure != null);
      planned.add(preview.plan(step, bindings, fallthrough, body));
    }
    return planned;
  }

  /** Where flow goes when the step names no successor: the next step, or the list's end. */
  static String fallthrough(List<Step> steps, int index, boolean inProcedure) {
    if (index + 1 < steps.size()) {
      return steps.get(index + 1).id();
    }
    return inProcedure ? "return: yes" : "end: resolved";
  }

  /** The text of an ask or manual step, values filled in and secrets masked. */
  static String text(Template template, Bindings bindings) {
    return Interpolator.render(template, Interpolator.Mode.TEXT, bindings).masked().strip();
  }

  static ActionRequest request(
      Step step, Map<String, Object> inputs, Target target, boolean changes) {
    return new ActionRequest(step.id(), inputs, target, changes);
  }

  static PlannedAction notInstalled(String target, String action) {
    return new PlannedAction(target, "(action '" + action + "' is not installed)", true);
  }
}
