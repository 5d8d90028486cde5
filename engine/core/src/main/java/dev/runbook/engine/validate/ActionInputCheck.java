package dev.runbook.engine.validate;

import dev.runbook.api.Action;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.api.TargetKind;
import dev.runbook.engine.expr.ShellRender;
import dev.runbook.engine.expr.WordSplit;
import dev.runbook.engine.model.Durations;
import dev.runbook.engine.model.InputValue;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.parse.Suggestions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The inputs an action step gives are the ones its action declares, of the declared types. */
final class ActionInputCheck {

  private final Runbook runbook;
  private final Map<String, TargetKind> kinds;
  private final TemplateCheck templates;
  private final List<Problem> problems;

  ActionInputCheck(
      Runbook runbook,
      Map<String, TargetKind> kinds,
      TemplateCheck templates,
      List<Problem> problems) {
    this.runbook = runbook;
    this.kinds = kinds;
    this.templates = templates;
    this.problems = problems;
  }

  void check(Step step, StepKind.ActionCall call, Action action, Procedure procedure) {
    String name = "step '" + step.id() + "'";
    ActionDescriptor descriptor = action.descriptor();
    boolean allKnown = true;
    for (Map.Entry<String, InputValue> entry : call.inputs().entrySet()) {
      InputSpec spec = descriptor.inputs().get(entry.getKey());
      if (spec == null) {
        allKnown = false;
        problems.add(
            new Problem(
                step.positionOf(call.action(), entry.getKey()),
                name
                    + ": unknown input '"
                    + entry.getKey()
                    + "' for action '"
                    + call.action()
                    + "'"
                    + Suggestions.hint(entry.getKey(), descriptor.inputs().keySet())
                    + "; it takes "
                    + String.join(", ", descriptor.inputs().keySet())));
        continue;
      }
      checkInput(spec, entry.getValue(), procedure, name);
    }
    if (!allKnown) {
      return; // a misspelt input is the one mistake: "needs 'command'" would only repeat it
    }
    for (InputSpec spec : descriptor.inputs().values()) {
      if (spec.required() && !call.inputs().containsKey(spec.name())) {
        problems.add(
            new Problem(
                call.actionPosition(),
                name + ": action '" + call.action() + "' needs input '" + spec.name() + "'"));
      }
    }
    for (String message : action.checkInputs(call.inputs().keySet())) {
      problems.add(new Problem(call.actionPosition(), name + ": " + message));
    }
    checkShellDialect(step, call, descriptor, name);
  }

  /**
   * Shell lines render for POSIX {@code sh} (values as quoted environment variables); a step whose
   * commands would run on a machine of a kind with no such shell is refused, where its target is
   * known before the run.
   */
  private void checkShellDialect(
      Step step, StepKind.ActionCall call, ActionDescriptor descriptor, String name) {
    boolean givesShell =
        call.inputs().keySet().stream()
            .map(descriptor.inputs()::get)
            .anyMatch(spec -> spec != null && spec.type() == InputType.SHELL);
    if (!givesShell) {
      return;
    }
    TargetSpec host = hostOf(step.on() == null ? TargetSpec.LOCAL : step.on().raw(), step.on());
    if (host == null) {
      return; // named at run time, or unknown (reported elsewhere)
    }
    TargetKind kind = kinds.get(host.kind());
    if (kind != null && kind.shell() != TargetKind.ShellDialect.POSIX) {
      problems.add(
          new Problem(
              call.actionPosition(),
              name
                  + ": its commands would run on '"
                  + host.name()
                  + "', a "
                  + host.kind()
                  + " target with no POSIX shell; shell lines cannot run there"));
    }
  }

  /** The machine a step's commands run on, when its target is a literal name; else null. */
  private TargetSpec hostOf(String targetName, Template on) {
    if (on != null && !on.isLiteral()) {
      return null;
    }
    TargetSpec target = runbook.targets().get(targetName);
    if (target == null || !target.client()) {
      return target;
    }
    Template via = target.settings().get(TargetKind.VIA);
    if (via == null) {
      return runbook.targets().get(TargetSpec.LOCAL);
    }
    return via.isLiteral() ? runbook.targets().get(via.raw()) : null;
  }

  private void checkInput(InputSpec spec, InputValue value, Procedure procedure, String name) {
    String what = name + ": input '" + spec.name() + "'";
    boolean list = spec.type() == InputType.LIST || spec.type() == InputType.ARGV;
    boolean map = spec.type() == InputType.MAP;
    if (list != (value instanceof InputValue.ListValue)
        && !(list && value instanceof InputValue.Scalar)) {
      problems.add(
          new Problem(
              value.position(),
              what + " must be " + (list ? "a list" : map ? "a mapping" : "a single value")));
      return;
    }
    if (map != (value instanceof InputValue.MapValue)) {
      problems.add(
          new Problem(
              value.position(),
              what + " must be " + (map ? "a mapping" : "a single value or list")));
      return;
    }
    if (value instanceof InputValue.Scalar scalar) {
      templates.check(scalar.value(), procedure, Set.of(), what);
      if (scalar.value().isLiteral()) {
        checkLiteral(spec, scalar.value(), what);
      }
      checkWhereValuesStand(spec, scalar.value(), what);
    } else if (value instanceof InputValue.ListValue items) {
      items.items().forEach(t -> templates.check(t, procedure, Set.of(), what));
    } else if (value instanceof InputValue.MapValue entries) {
      entries.entries().values().forEach(t -> templates.check(t, procedure, Set.of(), what));
    }
  }

  /**
   * A value in a shell line may not stand where a second parser reads it; a line of words for a
   * program run without a shell may hold no shell syntax.
   */
  private void checkWhereValuesStand(InputSpec spec, Template value, String what) {
    if (spec.type() == InputType.SHELL) {
      for (ShellRender.Refusal refusal : ShellRender.refusals(value)) {
        problems.add(
            new Problem(value.positionOf(refusal.reference()), what + ": " + refusal.message()));
      }
    } else if (spec.type() == InputType.WORDS) {
      String problem = WordSplit.syntaxProblem(value);
      if (problem != null) {
        problems.add(new Problem(value.position(), what + ": " + problem));
      }
    }
  }

  private void checkLiteral(InputSpec spec, Template value, String what) {
    String text = value.raw();
    String problem =
        switch (spec.type()) {
          case INT -> text.matches("-?\\d+") ? null : "must be a whole number, not '" + text + "'";
          case BOOL ->
              text.equals("true") || text.equals("false")
                  ? null
                  : "must be true or false, not '" + text + "'";
          case DURATION -> {
            try {
              Durations.parse(text);
              yield null;
            } catch (IllegalArgumentException e) {
              yield e.getMessage();
            }
          }
          case TARGET ->
              runbook.targets().containsKey(text)
                  ? null
                  : "names no target '"
                      + text
                      + "'"
                      + Suggestions.hint(text, runbook.targets().keySet());
          default -> null;
        };
    if (problem != null) {
      problems.add(new Problem(value.position(), what + " " + problem));
    }
  }
}
