package dev.runbook.engine.validate;

import dev.runbook.api.Action;
import dev.runbook.api.TargetKind;
import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Captures;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.parse.Suggestions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every name a runbook uses refers to something declared: parameters, inputs, steps, targets,
 * procedures, action inputs.
 */
final class ReferenceCheck {

  private final Runbook runbook;
  private final Function<String, Action> actions;
  private final List<Problem> problems;
  private final TemplateCheck templates;

  /** Whether the steps are a library's: no parameters, no targets but local, no captures. */
  private final boolean library;

  private final ActionInputCheck inputs;

  ReferenceCheck(
      Runbook runbook,
      Function<String, Action> actions,
      Map<String, TargetKind> kinds,
      Captures captures,
      Set<String> allStepIds,
      List<Problem> problems,
      boolean library) {
    this.runbook = runbook;
    this.actions = actions;
    this.problems = problems;
    this.library = library;
    this.templates = new TemplateCheck(runbook, captures, allStepIds, problems, library);
    this.inputs = new ActionInputCheck(runbook, kinds, templates, problems);
  }

  void checkTopLevel() {
    for (ParamSpec param : runbook.params().values()) {
      checkDefault(param, "parameter");
    }
    if (runbook.lock() != null) {
      boolean captured = false;
      for (Template.Reference ref : runbook.lock().references()) {
        if (ref.root().equals("captured")) {
          captured = true;
          problems.add(
              new Problem(
                  runbook.lock().positionOf(ref),
                  "lock: the lock is taken before the first step runs, so it cannot hold"
                      + " '${"
                      + ref.dotted()
                      + "}', which a step captures; key it on a parameter"));
        }
      }
      if (!captured) {
        templates.check(runbook.lock(), null, Set.of(), "lock");
      }
    }
    for (TargetSpec target : runbook.targets().values()) {
      String name = "target '" + target.name() + "'";
      target
          .settings()
          .values()
          .forEach(t -> templates.check(t, TemplateCheck.ANY_PROCEDURE, Set.of(), name));
      checkVia(target, name);
    }
    for (Procedure procedure : runbook.procedures().values()) {
      procedure.inputs().values().forEach(input -> checkDefault(input, "input"));
    }
  }

  private void checkVia(TargetSpec target, String name) {
    Template via = target.settings().get("via");
    if (via == null || !via.isLiteral()) {
      return;
    }
    String problem = null;
    if (via.raw().equals(target.name())) {
      problem = "'via' names the target itself";
    } else if (!runbook.targets().containsKey(via.raw())) {
      problem =
          "'via' names no target '"
              + via.raw()
              + "'"
              + Suggestions.hint(via.raw(), runbook.targets().keySet());
    } else if (runbook.targets().get(via.raw()).client()) {
      problem =
          "'via' names '"
              + via.raw()
              + "', a "
              + runbook.targets().get(via.raw()).kind()
              + " target, which is not a machine; name a machine (or leave 'via' out to run on"
              + " local)";
    }
    if (problem != null) {
      problems.add(new Problem(via.position(), name + ": " + problem));
    }
  }

  private void checkDefault(ParamSpec param, String what) {
    if (param.defaultValue() == null) {
      return;
    }
    if (param.type() == ParamType.ENUM && param.values().isEmpty()) {
      return; // "type enum needs 'values'" is reported; the default cannot be judged without them
    }
    Position at = param.defaultPosition() != null ? param.defaultPosition() : param.position();
    ParamValues.problem(param, param.defaultValue())
        .ifPresent(
            p ->
                problems.add(
                    new Problem(
                        at,
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
    if (kind instanceof StepKind.End end) {
      checkEndMessage(end.message(), step.positionOf("message"), name);
    }
    for (Branch branch : new Branch[] {step.next(), step.yes(), step.no(), step.onFailure()}) {
      if (branch instanceof Branch.EndRun end) {
        checkEndMessage(end.message(), end.position(), name);
      }
    }
    if (kind instanceof StepKind.ActionCall action) {
      checkAction(step, action, procedure, name);
    } else if (kind instanceof StepKind.Sleep sleep) {
      checkDuration(sleep.duration(), procedure, name + ": 'sleep'");
    } else if (kind instanceof StepKind.Call call) {
      checkCall(step, call.procedure(), call.procedurePosition(), call.with(), procedure, Set.of());
    } else if (kind instanceof StepKind.Ask ask) {
      templates.check(ask.question(), procedure, Set.of(), name + ": 'ask'");
    } else if (kind instanceof StepKind.Manual manual) {
      templates.check(manual.instruction(), procedure, Set.of(), name + ": 'manual'");
    } else if (kind instanceof StepKind.Foreach each) {
      each.items().forEach(t -> templates.check(t, procedure, Set.of(), name + ": 'foreach'"));
      checkCall(
          step,
          each.procedure(),
          each.procedurePosition(),
          each.with(),
          procedure,
          Set.of(each.as()));
    }
  }

  /**
   * An end's message is shown and audited as written (the run is over; nothing is filled in), so a
   * {@code ${…}} in it would reach the operator as it stands.
   */
  private void checkEndMessage(String message, Position at, String name) {
    if (message != null && message.contains("${")) {
      problems.add(
          new Problem(
              at,
              name
                  + ": an end's message is shown as written, so '${…}' would reach the operator"
                  + " unfilled; say it in words (templates are filled in 'ask' and 'manual')"));
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
    if (action != null) { // else reported by the parser
      inputs.check(step, call, action, procedure);
    }
  }

  private void checkDuration(Template template, Procedure procedure, String what) {
    templates.check(template, procedure, Set.of(), what);
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
                    + (library
                        ? "; a library declares no targets: take the target as an input of type"
                            + " target (on: ${inputs.NODE}), named by the runbook that calls it"
                        : "; declared targets: " + String.join(", ", runbook.targets().keySet()))));
      }
      return;
    }
    int before = problems.size();
    templates.check(on, procedure, Set.of(), name + ": 'on'");
    if (problems.size() > before || on.references().size() != 1) {
      return;
    }
    Template.Reference ref = on.references().get(0);
    boolean targetInput =
        procedure != null
            && ref.root().equals("inputs")
            && ref.path().size() == 2
            && procedure.inputs().containsKey(ref.path().get(1))
            && procedure.inputs().get(ref.path().get(1)).type() == ParamType.TARGET;
    if (!targetInput) {
      problems.add(
          new Problem(
              on.position(),
              name + ": 'on' must name a target, or an input of type target (${inputs.NAME})"));
    }
  }

  private void checkCall(
      Step step,
      String procedureName,
      Position at,
      Map<String, Template> with,
      Procedure caller,
      Set<String> loopVars) {
    String name = "step '" + step.id() + "'";
    Procedure callee = runbook.procedure(procedureName);
    if (callee == null) {
      String library = procedureName.contains(".") ? procedureName.split("\\.", 2)[0] : null;
      boolean used = runbook.uses().stream().anyMatch(u -> u.library().equals(library));
      if (used
          && runbook.uses().stream().anyMatch(u -> u.library().equals(library) && !u.linked())) {
        return; // the library could not be linked: reported at 'uses'
      }
      String hint = Suggestions.hint(procedureName, runbook.callable().keySet());
      if (hint.isEmpty() && used) {
        List<String> offered =
            runbook.shared().keySet().stream()
                .filter(n -> n.startsWith(library + "."))
                .map(n -> n.substring(library.length() + 1))
                .toList();
        hint = "; library '" + library + "' has " + String.join(", ", offered);
      }
      problems.add(
          new Problem(
              at,
              name
                  + ": no procedure '"
                  + procedureName
                  + "'"
                  + (hint.isEmpty() && library != null && !used && !this.library
                      ? "; to call a procedure of library '"
                          + library
                          + "', name the library in 'uses:' ('uses: ["
                          + library
                          + "]')"
                      : hint)));
      return;
    }
    Set<String> misspelt = checkWith(step, callee, with, caller, loopVars);
    for (ParamSpec input : callee.inputs().values()) {
      if (input.required() && !with.containsKey(input.name()) && !misspelt.contains(input.name())) {
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

  /**
   * Checks each {@code with:} entry against the callee's inputs.
   *
   * @return the inputs that an unknown entry was reported as a misspelling of
   */
  private Set<String> checkWith(
      Step step,
      Procedure callee,
      Map<String, Template> with,
      Procedure caller,
      Set<String> loopVars) {
    String name = "step '" + step.id() + "'";
    Set<String> misspelt = new HashSet<>();
    for (Map.Entry<String, Template> entry : with.entrySet()) {
      ParamSpec input = callee.inputs().get(entry.getKey());
      if (input == null) {
        problems.add(
            new Problem(
                step.positionOf("with", entry.getKey()),
                name
                    + ": procedure '"
                    + callee.name()
                    + "' has no input '"
                    + entry.getKey()
                    + "'"
                    + Suggestions.hint(entry.getKey(), callee.inputs().keySet())));
        Suggestions.closest(entry.getKey(), callee.inputs().keySet()).ifPresent(misspelt::add);
        continue;
      }
      Template value = entry.getValue();
      templates.check(value, caller, loopVars, name + ": input '" + entry.getKey() + "'");
      if (input.type() == ParamType.TARGET
          && value.isLiteral()
          && !runbook.targets().containsKey(value.raw())) {
        problems.add(
            new Problem(
                value.position(),
                name
                    + ": input '"
                    + entry.getKey()
                    + "' names no target '"
                    + value.raw()
                    + "'"
                    + Suggestions.hint(value.raw(), runbook.targets().keySet())));
      } else if (input.type() != ParamType.TARGET && value.isLiteral()) {
        // The same check and words as a parameter's: a literal is known now, not at 3 a.m.
        ParamValues.problem(input, value.raw())
            .ifPresent(
                problem ->
                    problems.add(
                        new Problem(
                            value.position(),
                            name
                                + ": input "
                                + entry.getKey()
                                + " ("
                                + input.type().label()
                                + ") of procedure '"
                                + callee.name()
                                + "': '"
                                + value.raw()
                                + "' "
                                + problem)));
      }
    }
    return misspelt;
  }
}
