package dev.runbook.engine.execute;

import dev.runbook.engine.RunListener;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditLog;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.plugin.PluginRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The services and shared state of one run. The only mutable state of a run lives here and in
 * {@link Scope}; the runbook itself is never changed.
 */
final class RunContext implements AutoCloseable {

  final Runbook runbook;

  /** The parameter values given (defaults are applied where they are read). */
  final Map<String, String> params;

  final RunOptions options;
  final PluginRegistry plugins;
  final Expressions expressions;
  final RunDirectory dir;
  final Redactor redactor;
  final Journal journal;
  final TransportPool transports;
  final ConditionEvaluator conditions;

  /** The paths of the action steps running now, for the record when the run is stopped. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /** The latest result of each step id, as {@code steps.ID} reads it. */
  final Map<String, Object> stepResults = new ConcurrentHashMap<>();

  /**
   * The value each name was last captured as ({@code ${captured.NAME}}), typed and checked when the
   * person gave it; a resumed run puts back what its trail recorded.
   */
  final Map<String, Value> captured = new ConcurrentHashMap<>();

  /** Interrupts an action that outlives its timeout and ignores it. */
  final ScheduledExecutorService watchdog;

  private final AuditLog log;
  private final RunListener listener;

  RunContext(
      Runbook runbook,
      Map<String, String> params,
      RunOptions options,
      PluginRegistry plugins,
      Expressions expressions,
      RunDirectory dir,
      Redactor redactor,
      Journal journal,
      AuditLog log,
      RunListener listener,
      Map<String, Object> paramActivation,
      List<String> holdFiles) {
    this.runbook = runbook;
    this.params = Map.copyOf(params);
    this.options = options;
    this.plugins = plugins;
    this.expressions = expressions;
    this.dir = dir;
    this.redactor = redactor;
    this.journal = journal;
    this.log = log;
    this.listener = listener;
    this.transports = new TransportPool(plugins, holdFiles);
    this.conditions = new ConditionEvaluator(this, paramActivation);
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "runbook-timeout-watchdog");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Records an event in the trail, then tells the listeners. */
  void emit(AuditEvent event) {
    String line = log.appendLine(event);
    listener.recorded(event, line);
  }

  /** Whether an action step changes the system: as it says, else as its action does by default. */
  boolean changes(StepKind.ActionCall call) {
    if (call.changes() != null) {
      return call.changes();
    }
    return plugins.action(call.action()).map(a -> a.descriptor().changesByDefault()).orElse(true);
  }

  RunListener listener() {
    return listener;
  }

  void running(String path, boolean now) {
    if (now) {
      inFlight.add(path);
    } else {
      inFlight.remove(path);
    }
  }

  /** The action steps running now, sorted. */
  List<String> inFlight() {
    return inFlight.stream().sorted().toList();
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    transports.close();
  }
}
