package dev.runbook.engine;

import dev.runbook.api.Action;
import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.expr.InputResolver;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Before a run starts: a parameter's value that some step would refuse where it stands (one that
 * begins a word or an argument and starts with {@code -}, so the program would read it as an
 * option) refuses the whole run, before its first step. Each step checks this again as it runs;
 * checking only there let the steps before it run and change the system, then stopped the run half
 * way for a value that was known to be unusable from the start.
 *
 * <p>Only parameters are known before the run: every step is resolved with the parameters alone (a
 * step's output, a captured value, a loop variable or a procedure's input stays unresolved and is
 * checked when its step runs), the same resolution the step itself and the dry run use.
 */
final class ValuesAsOptions {

  private ValuesAsOptions() {}

  /** Each refusal as {@code step 'ID': message}, in the runbook's order; empty when none. */
  static List<String> refusals(Runbook runbook, Map<String, Value> params, PluginRegistry plugins) {
    Bindings paramsOnly = new Bindings(params, id -> null, name -> null);
    Set<String> refusals = new LinkedHashSet<>();
    List<Step> steps = new ArrayList<>(runbook.steps());
    for (Procedure procedure : runbook.procedures().values()) {
      steps.addAll(procedure.steps());
    }
    for (Step step : steps) {
      if (!(step.kind() instanceof StepKind.ActionCall call)) {
        continue;
      }
      Optional<Action> action = plugins.action(call.action());
      if (action.isEmpty()) {
        continue; // the run reports a missing plugin at the step, as it always has
      }
      // with nothing but parameters bound, every refusal is a parameter's: no message is parsed
      InputResolver.inputs(call, action.get().descriptor(), paramsOnly)
          .refused()
          .forEach(message -> refusals.add("step '" + step.id() + "': " + message));
    }
    return List.copyOf(refusals);
  }
}
