package dev.runbook.engine.validate;

import dev.runbook.api.Action;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.engine.expr.Durations;
import dev.runbook.engine.model.InputValue;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.parse.Suggestions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every name a runbook uses refers to something declared: parameters, inputs, steps, targets,
 * procedures, action inputs.
 */
final class ReferenceCheck {

  private static final List<String> ROOTS = List.of("params", "inputs", "steps");

  private final Runbook runbook;
  private final Function<String, Action> actions;
  private final Set<String> allStepIds;
  private final List<Problem> problems;

  ReferenceCheck(
      Runbook runbook,
      Function<String, Action> actions,
      Set<String> allStepIds,
      List<Problem> problems) {
    this.runbook = runbook;
    this.actions = actions;
    this.allStepIds = allStepIds;
    this.problems = problems;
  }

  void checkTopLevel() {
    for (ParamSpec param : runbook.params().values()) {
      checkDefault(param, "parameter");
    }
    if (runbook.lock() != null) {
      references(runbook.lock(), null, Set.of(), "lock");
    }
    runbook
        .targets()
        .values()
        .forEach(
            t ->
                t.settings()
                    .forEach(
                        (key, template) ->
                            references(
                                template,
                                AnyProcedure.INSTANCE,
                                Set.of(),
                                "target '" + t.name() + "'")));
    for (Procedure procedure : runbook.procedures().values()) {
      procedure.inputs().values().forEach(input -> checkDefault(input, "input"));
    }
  }

  private void checkDefault(ParamSpec param, String what) {
    if (param.defaultValue() == null) {
      return;
    }
    ParamValues.problem(param, param.defaultValue())
        .ifPresent(
            p ->
                problems.add(
                    new Problem(
                        param.position(),
                        what
                            + " '"
                            + param.name()
                            + "': default '"
                            + param.defaultValue()
                            + "' "
                            + p)));
    if (param.required()) {
      problems.add(
          new Problem(
              param.position(),
              what + " '" + param.name() + "' is required and has a default; drop one"));
    }
  }

  void checkStep(Step step, StepList list) {
    Procedure procedure = list.procedure();
    String name = "step '" + step.id() + "'";
    if (step.on() != null) {
      checkTarget(step.on(), procedure, name);
    }
    StepKind kind = step.kind();
    if (kind instanceof StepKind.ActionCall action) {
      checkAction(step, action, procedure, name);
    } else if (kind instanceof StepKind.Sleep sleep) {
      checkDuration(sleep.duration(), procedure, name + ": 'sleep'");
    } else if (kind instanceof StepKind.Call call) {
      checkCall(call.procedure(), call.procedurePosition(), call.with(), procedure, Set.of(), name);
    } else if (kind instanceof StepKind.Ask ask) {
      references(ask.question(), procedure, Set.of(), name + ": 'ask'");
    } else if (kind instanceof StepKind.Manual manual) {
      references(manual.instruction(), procedure, Set.of(), name + ": 'manual'");
    } else if (kind instanceof StepKind.Foreach each) {
      each.items().forEach(t -> references(t, procedure, Set.of(), name + ": 'foreach'"));
      checkCall(
          each.procedure(),
          each.procedurePosition(),
          each.with(),
          procedure,
          Set.of(each.as()),
          name);
    }
  }

  private void checkAction(Step step, StepKind.ActionCall call, Procedure procedure, String name) {
    if (call.timeout() != null) {
      checkDuration(call.timeout(), procedure, name + ": 'timeout'");
    }
    if (call.every() != null) {
      checkDuration(call.every(), procedure, name + ": 'every'");
    }
    if (call.isPoll() && call.every() == null) {
      problems.add(
          new Problem(
              step.positionOf("until"), name + ": a poll needs 'every' (how often to try)"));
    }
    Action action = actions.apply(call.action());
    if (action == null) {
      return; // reported by the parser
    }
    ActionDescriptor descriptor = action.descriptor();
    for (Map.Entry<String, InputValue> entry : call.inputs().entrySet()) {
      InputSpec spec = descriptor.inputs().get(entry.getKey());
      if (spec == null) {
        problems.add(
            new Problem(
                entry.getValue().position(),
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
  }

  private void checkInput(InputSpec spec, InputValue value, Procedure procedure, String name) {
    String what = name + ": input '" + spec.name() + "'";
    boolean list = spec.type() == InputType.LIST;
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
      references(scalar.value(), procedure, Set.of(), what);
      if (scalar.value().isLiteral()) {
        checkLiteral(spec, scalar.value(), what);
      }
    } else if (value instanceof InputValue.ListValue items) {
      items.items().forEach(t -> references(t, procedure, Set.of(), what));
    } else if (value instanceof InputValue.MapValue entries) {
      entries.entries().values().forEach(t -> references(t, procedure, Set.of(), what));
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

  private void checkDuration(Template template, Procedure procedure, String what) {
    references(template, procedure, Set.of(), what);
    for (Template.Reference ref : template.references()) {
      if (ref.root().equals("params") && ref.path().size() == 2) {
        ParamSpec param = runbook.params().get(ref.path().get(1));
        if (param != null && param.type() != ParamType.DURATION) {
          problems.add(
              new Problem(
                  template.positionOf(ref),
                  what
                      + " needs a duration, but parameter '"
                      + param.name()
                      + "' is of type "
                      + param.type().label()));
        }
      }
    }
  }

  private void checkTarget(Template on, Procedure procedure, String name) {
    if (on.isLiteral()) {
      if (!runbook.targets().containsKey(on.raw())) {
        problems.add(
            new Problem(
                on.position(),
                name
                    + ": 'on' names no target '"
                    + on.raw()
                    + "'"
                    + Suggestions.hint(on.raw(), runbook.targets().keySet())
                    + "; declared targets: "
                    + String.join(", ", runbook.targets().keySet())));
      }
      return;
    }
    references(on, procedure, Set.of(), name + ": 'on'");
    for (Template.Reference ref : on.references()) {
      boolean targetInput =
          procedure != null
              && ref.root().equals("inputs")
              && ref.path().size() == 2
              && procedure.inputs().containsKey(ref.path().get(1))
              && procedure.inputs().get(ref.path().get(1)).type() == ParamType.TARGET;
      if (!targetInput && on.references().size() == 1 && problemsAbout(on).isEmpty()) {
        problems.add(
            new Problem(
                on.position(),
                name + ": 'on' must name a target, or an input of type target (${inputs.NAME})"));
      }
    }
  }

  private List<Problem> problemsAbout(Template template) {
    return problems.stream().filter(p -> p.position().equals(template.position())).toList();
  }

  private void checkCall(
      String procedureName,
      Position at,
      Map<String, Template> with,
      Procedure caller,
      Set<String> loopVars,
      String name) {
    Procedure callee = runbook.procedures().get(procedureName);
    if (callee == null) {
      problems.add(
          new Problem(
              at,
              name
                  + ": no procedure '"
                  + procedureName
                  + "'"
                  + Suggestions.hint(procedureName, runbook.procedures().keySet())));
      return;
    }
    for (Map.Entry<String, Template> entry : with.entrySet()) {
      ParamSpec input = callee.inputs().get(entry.getKey());
      if (input == null) {
        problems.add(
            new Problem(
                entry.getValue().position(),
                name
                    + ": procedure '"
                    + procedureName
                    + "' has no input '"
                    + entry.getKey()
                    + "'"
                    + Suggestions.hint(entry.getKey(), callee.inputs().keySet())));
        continue;
      }
      references(entry.getValue(), caller, loopVars, name + ": input '" + entry.getKey() + "'");
      if (input.type() == ParamType.TARGET
          && entry.getValue().isLiteral()
          && !runbook.targets().containsKey(entry.getValue().raw())) {
        problems.add(
            new Problem(
                entry.getValue().position(),
                name
                    + ": input '"
                    + entry.getKey()
                    + "' names no target '"
                    + entry.getValue().raw()
                    + "'"
                    + Suggestions.hint(entry.getValue().raw(), runbook.targets().keySet())));
      }
    }
    for (ParamSpec input : callee.inputs().values()) {
      if (input.required() && !with.containsKey(input.name())) {
        problems.add(
            new Problem(
                at,
                name
                    + ": procedure '"
                    + procedureName
                    + "' needs input '"
                    + input.name()
                    + "' in 'with'"));
      }
    }
  }

  /** Checks each {@code ${...}} of a template against what is in scope. */
  void references(Template template, Procedure procedure, Set<String> loopVars, String what) {
    for (Template.Reference ref : template.references()) {
      Position at = template.positionOf(ref);
      String root = ref.root();
      if (loopVars.contains(root)) {
        continue;
      }
      if (!ROOTS.contains(root)) {
        Set<String> roots = new LinkedHashSet<>(ROOTS);
        roots.addAll(loopVars);
        problems.add(
            new Problem(
                at,
                what
                    + ": unknown reference '${"
                    + ref.dotted()
                    + "}'"
                    + Suggestions.hint(root, roots)
                    + "; references start with "
                    + String.join(", ", roots)));
        continue;
      }
      if (ref.path().size() < 2) {
        problems.add(
            new Problem(at, what + ": '${" + root + "}' needs a name: ${" + root + ".NAME}"));
        continue;
      }
      String name = ref.path().get(1);
      switch (root) {
        case "params" -> {
          if (!runbook.params().containsKey(name)) {
            problems.add(
                new Problem(
                    at,
                    what
                        + ": unknown parameter '"
                        + name
                        + "'"
                        + Suggestions.hint(name, runbook.params().keySet())));
          }
        }
        case "inputs" -> {
          if (procedure == null) {
            problems.add(
                new Problem(
                    at, what + ": '${inputs." + name + "}' exists only inside a procedure"));
          } else if (procedure != AnyProcedure.INSTANCE && !procedure.inputs().containsKey(name)) {
            problems.add(
                new Problem(
                    at,
                    what
                        + ": procedure '"
                        + procedure.name()
                        + "' has no input '"
                        + name
                        + "'"
                        + Suggestions.hint(name, procedure.inputs().keySet())));
          }
        }
        default -> {
          if (!allStepIds.contains(name)) {
            problems.add(
                new Problem(
                    at, what + ": no step '" + name + "'" + Suggestions.hint(name, allStepIds)));
          }
        }
      }
    }
  }

  /** Target templates are shared by all procedures: any input name is accepted there. */
  static final class AnyProcedure {
    static final Procedure INSTANCE =
        new Procedure("*", null, Map.of(), List.of(), Position.start("*"));

    private AnyProcedure() {}
  }
}
