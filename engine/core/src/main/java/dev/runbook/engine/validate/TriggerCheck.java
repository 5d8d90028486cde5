package dev.runbook.engine.validate;

import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.Trigger;
import dev.runbook.engine.parse.Suggestions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what {@code trigger:} names: the parameters it fills are declared, the steps it answers
 * exist and are questions ({@code ask}) or manual steps, and the runbook has alarms an alert can
 * select it by.
 */
final class TriggerCheck {

  private TriggerCheck() {}

  static void check(Runbook runbook, List<Problem> problems) {
    Trigger trigger = runbook.trigger();
    boolean declared =
        !trigger.matchers().isEmpty()
            || !trigger.params().isEmpty()
            || !trigger.answers().isEmpty()
            || trigger.policy() != Trigger.Policy.APPROVE;
    if (declared && runbook.alarms().isEmpty()) {
      problems.add(
          new Problem(
              trigger.position(),
              "trigger: runbook "
                  + runbook.id()
                  + " has no 'alarms:'; an alert selects a runbook by its alarms, so give"
                  + " the alarm names it answers to"));
    }
    trigger
        .params()
        .forEach(
            (name, template) -> {
              if (!runbook.params().containsKey(name)) {
                problems.add(
                    new Problem(
                        template.position(),
                        "trigger: params: runbook "
                            + runbook.id()
                            + " has no parameter '"
                            + name
                            + "'"
                            + Suggestions.hint(name, runbook.params().keySet())));
              }
            });
    Map<String, Step> steps = new LinkedHashMap<>();
    runbook.steps().forEach(s -> steps.putIfAbsent(s.id(), s));
    runbook
        .procedures()
        .values()
        .forEach(p -> p.steps().forEach(s -> steps.putIfAbsent(s.id(), s)));
    trigger
        .answers()
        .forEach(
            (id, answer) -> {
              Step step = steps.get(id);
              if (step == null) {
                problems.add(
                    new Problem(
                        answer.position(),
                        "trigger: answers: runbook "
                            + runbook.id()
                            + " has no step '"
                            + id
                            + "'"
                            + Suggestions.hint(id, steps.keySet())));
              } else if (!(step.kind() instanceof StepKind.Ask)
                  && !(step.kind() instanceof StepKind.Manual)) {
                problems.add(
                    new Problem(
                        answer.position(),
                        "trigger: answers: step '"
                            + id
                            + "' is "
                            + step.kind().label()
                            + ", not a question (ask) or a manual step; an alert can answer only"
                            + " those"));
              }
            });
  }
}
