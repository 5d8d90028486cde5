package dev.runbook.engine.execute;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepFailure;
import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.expr.Interpolator;
import dev.runbook.engine.expr.Rendered;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.flow.Exit;
import dev.runbook.engine.flow.StepOutcome;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs procedures: once for a {@code call}, once per item for a {@code foreach}, {@code parallel}
 * items at a time. A procedure's {@code return} becomes the step's yes/no; its failure becomes the
 * step's failure; an {@code end} or a pause inside it ends or pauses the whole run.
 */
final class CallRunner {

  private final RunContext run;
  private final StepRunner steps;

  CallRunner(RunContext run, StepRunner steps) {
    this.run = run;
    this.steps = steps;
  }

  StepOutcome call(Step step, StepKind.Call call, Scope scope, String path)
      throws InterruptedException {
    Procedure procedure = run.runbook.procedure(call.procedure());
    ProcedureInputs inputs = ProcedureInputs.bind(procedure, call.with(), scope.bindings());
    if (inputs.problem() != null) {
      return StepOutcome.failure(
          StepFailure.of(FailureKind.CONFIG, run.redactor.redact(inputs.problem())), Map.of());
    }
    Scope inner =
        new Scope(Scope.child(path), procedure, scope.bindings().withInputs(inputs.values()));
    return StepOutcome.ofProcedure(steps.walk(procedure.steps(), inner));
  }

  StepOutcome foreach(Step step, StepKind.Foreach each, Scope scope, String path)
      throws InterruptedException {
    Procedure procedure = run.runbook.procedure(each.procedure());
    List<String> missing = new ArrayList<>();
    List<String> items = items(each, scope.bindings(), missing);
    if (!missing.isEmpty()) {
      return StepOutcome.failure(
          StepFailure.of(
              FailureKind.CONFIG,
              "no value for " + String.join(", ", missing) + ProcedureInputs.hint(missing)),
          Map.of());
    }
    if (items.isEmpty()) {
      run.listener().progress(path, "no items: the procedure runs zero times");
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("items", items);
      data.put("failed", 0);
      return StepOutcome.success(true, data);
    }
    // Every item's inputs are bound and checked before the first item runs.
    List<ProcedureInputs> bound = new ArrayList<>();
    for (String item : items) {
      ProcedureInputs inputs =
          ProcedureInputs.bind(
              procedure,
              each.with(),
              scope.bindings().withLoopVariable(each.as(), Value.plain(item)));
      if (inputs.problem() != null) {
        return StepOutcome.failure(
            StepFailure.of(FailureKind.CONFIG, run.redactor.redact(item + ": " + inputs.problem())),
            Map.of());
      }
      bound.add(inputs);
    }
    List<Exit> exits = new ArrayList<>();
    if (each.parallel() <= 1 || items.size() <= 1) {
      for (int i = 0; i < items.size(); i++) {
        Exit exit = item(procedure, scope, path, i, bound.get(i));
        exits.add(exit);
        if (exit instanceof Exit.End || exit instanceof Exit.Paused) {
          break;
        }
      }
    } else {
      exits.addAll(parallel(procedure, each, scope, path, bound));
    }
    boolean allYes = true;
    for (Exit exit : exits) {
      if (exit instanceof Exit.End || exit instanceof Exit.Paused) {
        return StepOutcome.exit(exit);
      }
    }
    List<String> failed = new ArrayList<>();
    FailureKind kind = null;
    for (int i = 0; i < exits.size(); i++) {
      Exit exit = exits.get(i);
      if (exit instanceof Exit.Failed f) {
        failed.add(items.get(i) + " (" + f.step() + ": " + f.failure().message() + ")");
        // The first failed item's kind: a host that refused its key makes it host-key.
        kind = kind == null ? f.failure().kind() : kind;
      } else if (exit instanceof Exit.Return r && !r.value()) {
        allYes = false;
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("items", items);
    data.put("failed", failed.size());
    if (!failed.isEmpty()) {
      return StepOutcome.failure(
          StepFailure.of(
              kind,
              failed.size()
                  + " of "
                  + items.size()
                  + " items failed: "
                  + String.join("; ", failed)),
          data);
    }
    return StepOutcome.success(allYes, data);
  }

  private List<Exit> parallel(
      Procedure procedure,
      StepKind.Foreach each,
      Scope scope,
      String path,
      List<ProcedureInputs> bound)
      throws InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(each.parallel(), bound.size()),
            r -> {
              Thread thread = new Thread(r, "runbook-foreach");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<Exit>> futures = new ArrayList<>();
      for (int i = 0; i < bound.size(); i++) {
        int index = i;
        futures.add(pool.submit(() -> item(procedure, scope, path, index, bound.get(index))));
      }
      List<Exit> exits = new ArrayList<>();
      for (Future<Exit> future : futures) {
        try {
          exits.add(future.get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          exits.add(
              new Exit.Failed(
                  path, StepFailure.of(FailureKind.PLUGIN_ERROR, String.valueOf(cause))));
        }
      }
      return exits;
    } finally {
      pool.shutdownNow();
    }
  }

  private Exit item(
      Procedure procedure, Scope scope, String path, int index, ProcedureInputs inputs)
      throws InterruptedException {
    Scope inner =
        new Scope(
            path + "[" + index + "]/", procedure, scope.bindings().withInputs(inputs.values()));
    return steps.walk(procedure.steps(), inner);
  }

  private static List<String> items(
      StepKind.Foreach each, Bindings bindings, List<String> missing) {
    List<String> items = new ArrayList<>();
    for (Template template : each.items()) {
      Rendered rendered = Interpolator.render(template, Interpolator.Mode.TEXT, bindings);
      missing.addAll(rendered.unresolved());
      for (String part : rendered.text().split(",")) {
        if (!part.isBlank()) {
          items.add(part.strip());
        }
      }
    }
    return items;
  }
}
