package dev.runbook.engine.execute;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepFailure;
import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.expr.Interpolator;
import dev.runbook.engine.expr.Rendered;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.model.ParamSpec;
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
  private final FlowRunner flow;

  CallRunner(RunContext run, FlowRunner flow) {
    this.run = run;
    this.flow = flow;
  }

  StepOutcome call(Step step, StepKind.Call call, Scope scope, String path)
      throws InterruptedException {
    Procedure procedure = run.runbook.procedures().get(call.procedure());
    Scope inner =
        new Scope(
            Scope.child(path),
            procedure,
            scope.bindings().withInputs(inputs(procedure, call.with(), scope.bindings())));
    return fromExit(flow.run(procedure.steps(), inner));
  }

  StepOutcome foreach(Step step, StepKind.Foreach each, Scope scope, String path)
      throws InterruptedException {
    Procedure procedure = run.runbook.procedures().get(each.procedure());
    List<String> items = items(each, scope.bindings());
    List<Exit> exits = new ArrayList<>();
    if (each.parallel() <= 1 || items.size() <= 1) {
      for (int i = 0; i < items.size(); i++) {
        Exit exit = item(procedure, each, scope, path, i, items.get(i));
        exits.add(exit);
        if (exit instanceof Exit.End || exit instanceof Exit.Paused) {
          break;
        }
      }
    } else {
      exits.addAll(parallel(procedure, each, scope, path, items));
    }
    boolean allYes = true;
    for (Exit exit : exits) {
      if (exit instanceof Exit.End || exit instanceof Exit.Paused) {
        return StepOutcome.exit(exit);
      }
    }
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < exits.size(); i++) {
      Exit exit = exits.get(i);
      if (exit instanceof Exit.Failed f) {
        failed.add(items.get(i) + " (" + f.step() + ": " + f.failure().message() + ")");
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
              FailureKind.NON_ZERO_EXIT,
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
      Procedure procedure, StepKind.Foreach each, Scope scope, String path, List<String> items)
      throws InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(each.parallel(), items.size()),
            r -> {
              Thread thread = new Thread(r, "runbook-foreach");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<Exit>> futures = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        int index = i;
        futures.add(pool.submit(() -> item(procedure, each, scope, path, index, items.get(index))));
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
      Procedure procedure, StepKind.Foreach each, Scope scope, String path, int index, String item)
      throws InterruptedException {
    Bindings withItem = scope.bindings().withLoopVariable(each.as(), Value.plain(item));
    Map<String, Value> inputs = inputs(procedure, each.with(), withItem);
    Scope inner =
        new Scope(path + "[" + index + "]/", procedure, scope.bindings().withInputs(inputs));
    return flow.run(procedure.steps(), inner);
  }

  private static List<String> items(StepKind.Foreach each, Bindings bindings) {
    List<String> items = new ArrayList<>();
    for (Template template : each.items()) {
      for (String part :
          Interpolator.render(template, Interpolator.Mode.TEXT, bindings).text().split(",")) {
        if (!part.isBlank()) {
          items.add(part.strip());
        }
      }
    }
    return items;
  }

  private static Map<String, Value> inputs(
      Procedure procedure, Map<String, Template> with, Bindings bindings) {
    Map<String, Value> inputs = new LinkedHashMap<>();
    for (ParamSpec input : procedure.inputs().values()) {
      Template given = with.get(input.name());
      if (given != null) {
        Rendered rendered = Interpolator.render(given, Interpolator.Mode.TEXT, bindings);
        inputs.put(input.name(), new Value(rendered.text(), rendered.secret()));
      } else if (input.defaultValue() != null) {
        inputs.put(input.name(), Value.plain(input.defaultValue()));
      }
    }
    return inputs;
  }

  private static StepOutcome fromExit(Exit exit) {
    if (exit instanceof Exit.Return r) {
      return StepOutcome.success(r.value(), Map.of());
    }
    if (exit instanceof Exit.Failed f) {
      return StepOutcome.failure(
          StepFailure.of(f.failure().kind(), "in " + f.step() + ": " + f.failure().message()),
          Map.of());
    }
    return StepOutcome.exit(exit);
  }
}
