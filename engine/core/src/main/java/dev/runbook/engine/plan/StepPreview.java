package dev.runbook.engine.plan;

import dev.runbook.api.Action;
import dev.runbook.api.PlannedAction;
import dev.runbook.engine.PlannedStep;
import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.expr.InputResolver;
import dev.runbook.engine.expr.Interpolator;
import dev.runbook.engine.expr.Rendered;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.library.Inventory;
import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Durations;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Describes one step for a plan: target, command, condition, branches, limits. */
final class StepPreview {

  private final Runbook runbook;
  private final PluginRegistry plugins;
  private final Set<String> unresolved;
  private final Inventory inventory;

  StepPreview(
      Runbook runbook, PluginRegistry plugins, Set<String> unresolved, Inventory inventory) {
    this.runbook = runbook;
    this.plugins = plugins;
    this.unresolved = unresolved;
    this.inventory = inventory;
  }

  Optional<Procedure> callee(Step step) {
    String name = null;
    if (step.kind() instanceof StepKind.Call call) {
      name = call.procedure();
    } else if (step.kind() instanceof StepKind.Foreach each) {
      name = each.procedure();
    }
    return Optional.ofNullable(name == null ? null : runbook.procedure(name));
  }

  /** The bindings inside a called procedure: its inputs from {@code with:}, else defaults. */
  Bindings calleeBindings(Step step, Procedure callee, Bindings outer) {
    Map<String, Template> with;
    Bindings scope = outer;
    if (step.kind() instanceof StepKind.Foreach each) {
      with = each.with();
      scope = outer.withLoopVariable(each.as(), Value.plain("<each " + each.as() + ">"));
    } else {
      with = ((StepKind.Call) step.kind()).with();
    }
    Map<String, Value> inputs = new LinkedHashMap<>();
    for (ParamSpec input : callee.inputs().values()) {
      Template given = with.get(input.name());
      if (given != null) {
        Rendered rendered = Interpolator.render(given, Interpolator.Mode.TEXT, scope);
        unresolved.addAll(rendered.unresolved());
        inputs.put(input.name(), new Value(rendered.text(), rendered.secret()));
      } else if (input.defaultValue() != null) {
        inputs.put(input.name(), Value.plain(input.defaultValue()));
      }
    }
    return outer.withInputs(inputs);
  }

  PlannedStep plan(Step step, Bindings bindings, String fallthrough, List<PlannedStep> body) {
    StepKind kind = step.kind();
    Map<String, String> branches = branches(step, fallthrough);
    List<String> limits = new ArrayList<>();
    if (step.maxVisits() != null) {
      limits.add("at most " + step.maxVisits() + " visits");
    }
    String action = null;
    String target = null;
    String command = null;
    Map<String, String> environment = Map.of();
    List<String> refused = new ArrayList<>();
    Boolean changes = null;
    String condition = null;
    String detail = null;
    String call = null;
    if (kind instanceof StepKind.ActionCall a) {
      action = a.action();
      PlannedAction planned = previewAction(step, a, bindings, refused);
      target = planned.target();
      command = planned.command();
      environment = planned.environment();
      changes = planned.changes();
      condition =
          a.condition() != null
              ? a.condition().expression()
              : a.isPoll() ? a.until().expression() : null;
      if (a.isPoll()) {
        detail =
            "every "
                + text(a.every(), bindings)
                + " until the condition holds, for at most "
                + (a.timeout() == null
                    ? Durations.format(StepKind.DEFAULT_ACTION_TIMEOUT)
                    : text(a.timeout(), bindings));
      } else {
        limits.add(
            "timeout "
                + (a.timeout() == null
                    ? Durations.format(StepKind.DEFAULT_ACTION_TIMEOUT)
                    : text(a.timeout(), bindings)));
      }
      if (a.retry().attempts() > 1) {
        limits.add(
            a.retry().attempts() + " attempts, " + Durations.format(a.retry().delay()) + " apart");
      }
      if (!a.exitCodes().equals(List.of(0))) {
        limits.add("exit codes " + a.exitCodes() + " count as success");
      }
      if (a.idempotent()) {
        limits.add("idempotent");
      }
    } else if (kind instanceof StepKind.Decision d) {
      condition = d.condition().expression();
    } else if (kind instanceof StepKind.Switch w) {
      condition = w.value().expression();
    } else if (kind instanceof StepKind.Sleep s) {
      detail = "wait " + text(s.duration(), bindings);
    } else if (kind instanceof StepKind.Ask q) {
      detail = Planner.text(q.question(), bindings) + captures(q.capture());
    } else if (kind instanceof StepKind.Manual m) {
      detail = Planner.text(m.instruction(), bindings) + captures(m.capture());
    } else if (kind instanceof StepKind.Call c) {
      call = c.procedure() + withText(c.with(), bindings);
    } else if (kind instanceof StepKind.Foreach f) {
      call = foreachCall(f, bindings);
      detail =
          "for each of "
              + String.join(", ", items(f, bindings))
              + ", "
              + f.parallel()
              + " at a time";
    } else if (kind instanceof StepKind.End e) {
      detail = e.message();
    }
    return new PlannedStep(
        step.id(),
        step.ref(),
        step.title(),
        kind.label(),
        action,
        target,
        command,
        environment,
        refused,
        changes,
        condition,
        detail,
        call,
        branches,
        limits,
        body);
  }

  /** What the answer becomes: {@code captures AlarmHost (host)}, on a line of its own. */
  private static String captures(ParamSpec capture) {
    if (capture == null) {
      return "";
    }
    return "\ncaptures "
        + capture.name()
        + " ("
        + (capture.secret() ? "secret " : "")
        + capture.type().label()
        + (capture.pattern() == null ? "" : " matching " + capture.pattern())
        + "), for ${captured."
        + capture.name()
        + "}";
  }

  private String foreachCall(StepKind.Foreach f, Bindings bindings) {
    return f.procedure()
        + withText(
            f.with(), bindings.withLoopVariable(f.as(), Value.plain("<each " + f.as() + ">")));
  }

  List<String> items(StepKind.Foreach f, Bindings bindings) {
    List<String> items = new ArrayList<>();
    for (Template item : f.items()) {
      for (String part : text(item, bindings).split(",")) {
        if (!part.isBlank()) {
          items.add(part.strip());
        }
      }
    }
    return items;
  }

  private String withText(Map<String, Template> with, Bindings bindings) {
    if (with.isEmpty()) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    with.forEach((k, v) -> pairs.add(k + "=" + text(v, bindings)));
    return " (" + String.join(", ", pairs) + ")";
  }

  private String text(Template template, Bindings bindings) {
    Rendered rendered = Interpolator.render(template, Interpolator.Mode.TEXT, bindings);
    unresolved.addAll(rendered.unresolved());
    return rendered.masked();
  }

  private PlannedAction previewAction(
      Step step, StepKind.ActionCall call, Bindings bindings, List<String> refused) {
    InputResolver.ResolvedTarget target =
        InputResolver.target(runbook, step.on(), bindings, inventory);
    unresolved.addAll(target.unresolved());
    Optional<Action> action = plugins.action(call.action());
    if (action.isEmpty()) {
      return Planner.notInstalled(target.target().describe(), call.action());
    }
    InputResolver.Resolved inputs = InputResolver.inputs(call, action.get().descriptor(), bindings);
    unresolved.addAll(inputs.unresolved());
    refused.addAll(inputs.refused());
    boolean changes =
        call.changes() != null ? call.changes() : action.get().descriptor().changesByDefault();
    return action.get().preview(Planner.request(step, inputs.values(), target.target(), changes));
  }

  private static Map<String, String> branches(Step step, String fallthrough) {
    Map<String, String> branches = new LinkedHashMap<>();
    boolean terminal =
        step.kind() instanceof StepKind.End || step.kind() instanceof StepKind.Return;
    if (step.yes() != null) {
      branches.put("yes", Branch.describe(step.yes()));
    }
    if (step.no() != null) {
      branches.put("no", Branch.describe(step.no()));
    }
    if (step.cases() != null) {
      step.cases()
          .byLabel()
          .forEach((label, branch) -> branches.put("case " + label, Branch.describe(branch)));
      branches.put("default", Branch.describe(step.cases().otherwise()));
    }
    boolean decided = step.yes() != null && step.no() != null;
    if (step.next() != null) {
      branches.put("next", Branch.describe(step.next()));
    } else if (!terminal && !decided && step.cases() == null) {
      branches.put("next", fallthrough);
    }
    if (step.onFailure() != null) {
      branches.put("on_failure", Branch.describe(step.onFailure()));
    }
    return branches;
  }
}
