package dev.runbook.engine.execute;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditLog;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.expr.InputResolver;
import dev.runbook.engine.expr.Interpolator;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.plugin.PluginRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a validated runbook, or resumes a paused or crashed run from its trail.
 *
 * <p>Parameters must already be checked against their types (the CLI does it). The engine holds the
 * runbook's lock for the whole run, writes every event to the run's trail before telling the
 * listener, and never prints.
 */
public final class RunEngine {

  private final PluginRegistry plugins;
  private final Expressions expressions;

  public RunEngine(PluginRegistry plugins, Expressions expressions) {
    this.plugins = plugins;
    this.expressions = expressions;
  }

  /** Thrown when a run cannot be resumed: finished, altered, or its runbook changed. */
  public static final class ResumeRefused extends Exception {
    private static final long serialVersionUID = 1L;

    ResumeRefused(String message) {
      super(message);
    }
  }

  public RunResult start(
      Runbook runbook, Map<String, String> params, RunOptions options, RunListener listener)
      throws IOException, LockHeldException, InterruptedException {
    String lockKey = lockKey(runbook, params);
    try (RunLock lock =
        lockKey == null ? null : lock(options, lockKey, "a new run of " + runbook.id())) {
      RunDirectory dir = RunDirectory.create(options.stateDir(), options.clock());
      try (AuditLog log = AuditLog.open(dir, options.clock(), options.fsync());
          RunContext run = context(runbook, params, options, dir, Journal.EMPTY, log, listener)) {
        run.emit(
            new AuditEvent.RunStarted(
                dir.runId(),
                runbook.id(),
                runbook.title(),
                runbook.alarms(),
                runbook.file(),
                runbook.contentHash(),
                shownParams(runbook, params),
                lockKey,
                options.operator(),
                options.machine(),
                options.engineVersion()));
        return execute(run, options);
      }
    }
  }

  /**
   * Continues a run from its trail. Steps the trail shows finished are not run again; a step that
   * started but did not finish is run again when idempotent, else the operator is asked.
   *
   * @param params the run's parameters: those recorded, with secrets given again
   */
  public RunResult resume(
      Runbook runbook,
      RunDirectory dir,
      Map<String, String> params,
      RunOptions options,
      RunListener listener)
      throws IOException, LockHeldException, InterruptedException, ResumeRefused {
    AuditTrail trail = AuditTrail.read(dir);
    List<String> problems = new ArrayList<>(AuditVerifier.verify(dir).problems());
    boolean partial = trail.hasPartialLine();
    problems.removeIf(p -> partial && p.contains("is cut off (the writer stopped mid-line"));
    if (!problems.isEmpty()) {
      throw new ResumeRefused(
          "the trail of run "
              + dir.runId()
              + " does not verify ("
              + problems.get(0)
              + "); it will not be resumed");
    }
    AuditEvent.RunStarted started = null;
    Map<AuditEvent, Instant> times = new IdentityHashMap<>();
    for (AuditTrail.Line line : trail.lines()) {
      if (line.event() instanceof AuditEvent.RunStarted s) {
        started = s;
      }
      if (line.event() instanceof AuditEvent.RunFinished f) {
        throw new ResumeRefused("run " + dir.runId() + " already finished: " + f.outcome());
      }
      if (line.event() != null) {
        times.put(line.event(), line.time().orElse(Instant.EPOCH));
      }
    }
    if (started == null) {
      throw new ResumeRefused(
          "run " + dir.runId() + " has no run.started event; there is nothing to resume");
    }
    if (!started.contentHash().equals(runbook.contentHash())) {
      throw new ResumeRefused(
          "runbook "
              + runbook.id()
              + " ("
              + runbook.file()
              + ") changed since run "
              + dir.runId()
              + " started; resume it with the runbook as it was, or start a new run");
    }
    Journal journal = new Journal(trail.events(), times);
    String lockKey = started.lock();
    try (RunLock lock =
        lockKey == null ? null : lock(options, lockKey, "resumed run " + dir.runId())) {
      try (AuditLog log = AuditLog.open(dir, options.clock(), options.fsync());
          RunContext run = context(runbook, params, options, dir, journal, log, listener)) {
        run.emit(
            new AuditEvent.Resumed(
                options.operator(),
                options.machine(),
                options.engineVersion(),
                journal.inDoubt(),
                partial ? "dropped a partial last line written when the run stopped" : null));
        return execute(run, options);
      }
    }
  }

  private RunResult execute(RunContext run, RunOptions options) throws InterruptedException {
    long start = System.nanoTime();
    Scope root = new Scope("", null, bindings(run.runbook, run));
    Exit exit = new FlowRunner(run).run(run.runbook.steps(), root);
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (exit instanceof Exit.Paused paused) {
      run.emit(new AuditEvent.Paused(paused.step(), paused.question(), paused.reason()));
      return new RunResult(
          run.dir.runId(), null, paused.reason() + ": " + paused.question(), paused.step());
    }
    Outcome outcome;
    String message;
    if (exit instanceof Exit.End end) {
      outcome = end.outcome();
      message = end.message();
    } else if (exit instanceof Exit.Failed failed) {
      outcome = Outcome.FAILED;
      message = "step '" + failed.step() + "' failed: " + failed.failure();
    } else {
      throw new IllegalStateException("the main steps cannot return");
    }
    run.emit(new AuditEvent.RunFinished(outcome.label(), message, millis));
    return new RunResult(run.dir.runId(), outcome, message, null);
  }

  private RunContext context(
      Runbook runbook,
      Map<String, String> params,
      RunOptions options,
      RunDirectory dir,
      Journal journal,
      AuditLog log,
      RunListener listener) {
    List<String> secrets = new ArrayList<>();
    Map<String, ParamType> types = new LinkedHashMap<>();
    for (ParamSpec spec : runbook.params().values()) {
      types.put(spec.name(), spec.type());
      if (spec.secret() && params.get(spec.name()) != null) {
        secrets.add(params.get(spec.name()));
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    InputResolver.paramValues(runbook, params).forEach((k, v) -> values.put(k, v.text()));
    return new RunContext(
        runbook,
        params,
        options,
        plugins,
        expressions,
        dir,
        new Redactor(secrets),
        journal,
        log,
        listener,
        Expressions.paramActivation(types, values));
  }

  private static Bindings bindings(Runbook runbook, RunContext run) {
    Map<String, Value> params = InputResolver.paramValues(runbook, run.params);
    return new Bindings(params, run.stepResults::get);
  }

  private static Map<String, String> shownParams(Runbook runbook, Map<String, String> params) {
    Map<String, String> shown = new LinkedHashMap<>();
    InputResolver.paramValues(runbook, params)
        .forEach(
            (name, value) ->
                shown.put(name, value.secret() ? dev.runbook.api.Secret.MASK : value.text()));
    return shown;
  }

  private static String lockKey(Runbook runbook, Map<String, String> params) {
    if (runbook.lock() == null) {
      return null;
    }
    Bindings bindings = new Bindings(InputResolver.paramValues(runbook, params), id -> null);
    return Interpolator.render(runbook.lock(), Interpolator.Mode.TEXT, bindings).text();
  }

  private static RunLock lock(RunOptions options, String key, String what)
      throws IOException, LockHeldException, InterruptedException {
    String holder =
        what
            + " by "
            + options.operator()
            + " on "
            + options.machine()
            + " (pid "
            + ProcessHandle.current().pid()
            + ", since "
            + options.clock().instant()
            + ")";
    return RunLock.acquire(
        options.stateDir(),
        key,
        holder,
        options.lockWait() == null ? Duration.ZERO : options.lockWait(),
        options.clock(),
        options.sleeper());
  }
}
