package dev.runbook.engine.validate;

import dev.runbook.api.Action;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.model.Captures;
import dev.runbook.engine.model.Library;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.model.Trigger;
import dev.runbook.engine.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what a parsed runbook means: flow, references, actions and conditions. Collects every
 * problem rather than stopping at the first. Thread-safe.
 */
public final class RunbookValidator {

  private final PluginRegistry plugins;
  private final Expressions expressions;

  public RunbookValidator(PluginRegistry plugins, Expressions expressions) {
    this.plugins = plugins;
    this.expressions = expressions;
  }

  /** Every problem found, sorted by position; empty when the runbook is valid. */
  public List<Problem> validate(Runbook runbook) {
    return validate(runbook, false);
  }

  /**
   * Every problem of a library's procedures, checked as a runbook's are, with what a library may
   * not do: name parameters or targets of its own, capture or read captured values.
   */
  public List<Problem> validate(Library library) {
    Runbook procedures =
        new Runbook(
            library.id(),
            library.title(),
            library.description(),
            null,
            List.of(),
            null,
            null,
            Trigger.defaults(library.file()),
            Map.of(),
            Map.of(TargetSpec.LOCAL, TargetSpec.local(library.position())),
            library.procedures(),
            List.of(),
            library.file(),
            library.contentHash());
    return validate(procedures, true);
  }

  private List<Problem> validate(Runbook runbook, boolean library) {
    List<Problem> problems = new ArrayList<>();
    List<StepList> lists = new ArrayList<>();
    lists.add(new StepList(runbook.steps(), null));
    runbook.procedures().values().forEach(p -> lists.add(new StepList(p.steps(), p)));
    Set<String> allIds = new LinkedHashSet<>();
    lists.forEach(l -> l.steps().forEach(s -> allIds.add(s.id())));

    Captures captures = Captures.of(runbook);
    if (library) {
      captures
          .byName()
          .forEach(
              (name, sites) ->
                  sites.forEach(
                      site ->
                          problems.add(
                              new Problem(
                                  site.spec().position(),
                                  "step '"
                                      + site.step().id()
                                      + "': a library procedure cannot capture a value: the"
                                      + " runbook that calls it could not read it; capture it in"
                                      + " the runbook"))));
      captures = Captures.NONE;
    }
    ReferenceCheck references =
        new ReferenceCheck(
            runbook,
            name -> plugins.action(name).orElse(null),
            plugins.targetKinds(),
            captures,
            allIds,
            problems,
            library);
    references.checkTopLevel();
    ConditionCheck conditions =
        new ConditionCheck(expressions, runbook, captures, allIds, problems);
    for (StepList list : lists) {
      Set<String> elsewhere = new LinkedHashSet<>(allIds);
      list.steps().forEach(s -> elsewhere.remove(s.id()));
      new FlowCheck(list, elsewhere, problems).run();
      for (Step step : list.steps()) {
        references.checkStep(step, list);
        conditions.check(step, list);
      }
    }
    RecursionCheck.check(runbook, problems);
    TriggerCheck.check(runbook, problems);
    CaptureDeclarations.check(captures, problems);
    new CapturedBeforeUse(runbook, captures, problems).check();
    problems.sort(Problem.BY_POSITION);
    return List.copyOf(new LinkedHashSet<>(problems));
  }

  /** The action by name, for callers that hold a validator but not the registry. */
  public Action action(String name) {
    return plugins.action(name).orElse(null);
  }
}
