package dev.runbook.engine.execute;

import dev.runbook.api.Alarm;
import dev.runbook.api.Secret;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunRequest;
import dev.runbook.engine.RunResult;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditLog;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.SigningKey;
import dev.runbook.engine.audit.TrustedKeys;
import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.expr.InputResolver;
import dev.runbook.engine.expr.Interpolator;
import dev.runbook.engine.expr.Rendered;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.flow.Exit;
import dev.runbook.engine.model.LibraryUse;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a validated runbook, or resumes a paused, crashed or failed run from its trail.
 *
 * <p>Parameters must already be checked against their types (the CLI does it). The engine holds the
 * run's own trail lock and the runbook's {@code lock:} for the whole run (and every step's
 * processes hold them too, while they live), writes every event to the run's trail before telling
 * the listener, and never prints. An interrupt (Ctrl-C, SIGTERM) stops the running step's processes
 * and pauses the run, recording why; the step is then in doubt for {@code resume}.
 */
public final class RunEngine {

  private final PluginRegistry plugins;
  private final Expressions expressions;

  public RunEngine(PluginRegistry plugins, Expressions expressions) {
    this.plugins = plugins;
    this.expressions = expressions;
  }

  /** Thrown when a run cannot be started or resumed: finished, altered, busy, or changed. */
  public static final class ResumeRefused extends Exception {
    private static final long serialVersionUID = 1L;

    ResumeRefused(String message) {
      super(message);
    }
  }

  public RunResult start(
      Runbook runbook, Map<String, String> params, RunOptions options, RunListener listener)
      throws IOException, LockHeldException, InterruptedException {
    LockKey lockKey = lockKey(runbook, params);
    try (RunLock lock =
        lockKey == null ? null : lock(options, lockKey.key(), "a new run of " + runbook.id())) {
      RunDirectory dir =
          RunDirectory.create(
              options.stateDir(),
              options.clock(),
              options.mirror() == null
                  ? RunDirectory.IdsElsewhere.NONE
                  : id -> options.mirror().lines(id) > 0);
      TrailLock trailLock;
      try {
        trailLock = TrailLock.take(dir);
      } catch (TrailLock.Busy e) {
        throw new IOException("a new run's directory is locked: " + e.getMessage(), e);
      }
      try (trailLock;
          AuditLog log = mirrored(AuditLog.open(dir, options.clock(), options.fsync()), options);
          RunContext run =
              context(
                  runbook,
                  params,
                  options,
                  dir,
                  Journal.EMPTY,
                  log,
                  listener,
                  holdFiles(trailLock, lock))) {
        run.emit(
            new AuditEvent.RunStarted(
                dir.runId(),
                runbook.id(),
                runbook.title(),
                runbook.alarms(),
                Path.of(runbook.file()).toAbsolutePath().normalize().toString(),
                runbook.contentHash(),
                shownParams(runbook, params),
                lockKey == null ? null : lockKey.shown(),
                options.operator(),
                options.machine(),
                options.engineVersion(),
                options.osUser(),
                trigger(options.alarm()),
                options.approval() == RunRequest.Approval.NONE ? null : options.approval().label(),
                librariesUsed(runbook)));
        return execute(run);
      }
    }
  }

  /**
   * Continues a run from its trail. Steps the trail shows finished are not run again; a step that
   * started but did not finish is run again when idempotent, else the operator is asked.
   *
   * @param params the run's parameters: those recorded, with secrets given again (and, to retry a
   *     failed step, values that were missing)
   * @param retryFailed whether a run that ended {@code failed} runs its failed step again instead
   *     of being refused as finished
   */
  public RunResult resume(
      Runbook runbook,
      RunDirectory dir,
      Map<String, String> params,
      RunOptions options,
      RunListener listener,
      boolean retryFailed)
      throws IOException, LockHeldException, InterruptedException, ResumeRefused {
    TrailLock trailLock;
    try {
      trailLock = TrailLock.take(dir);
    } catch (TrailLock.Busy e) {
      throw new ResumeRefused(e.getMessage());
    }
    try (trailLock) {
      SigningKey key = SigningKey.fromEnvironment(AuditLog.stateDirectory(dir));
      TrustedKeys trusted = TrustedKeys.fromEnvironment();
      if (trusted == null && key != null) {
        trusted = TrustedKeys.of(List.of(key.publicKey()));
      }
      AuditVerifier.ResumeCheck check = AuditVerifier.checkForResume(dir, trusted);
      AuditTrail trail = AuditTrail.read(dir);
      ResumePoint point = ResumePoint.of(dir, trail, check, runbook, retryFailed);
      // A run keeps the approval policy it started with, whoever resumes it.
      options = options.withApproval(RunRequest.Approval.fromLabel(point.started().approval()));
      String lockKey = point.started().lock();
      try (RunLock lock =
          lockKey == null
              ? null
              : lock(
                  options,
                  currentLockKey(runbook, params, lockKey),
                  "resumed run " + dir.runId())) {
        try (AuditLog log =
                mirrored(
                    AuditLog.open(dir, options.clock(), options.fsync(), key, check.trustedLines()),
                    options);
            RunContext run =
                context(
                    runbook,
                    params,
                    options,
                    dir,
                    point.journal(),
                    log,
                    listener,
                    holdFiles(trailLock, lock))) {
          run.emit(
              new AuditEvent.Resumed(
                  options.operator(),
                  options.machine(),
                  options.engineVersion(),
                  point.journal().inDoubt(),
                  point.partial()
                      ? "dropped a partial last line written when the run stopped"
                      : null,
                  options.osUser(),
                  point.retried()));
          return execute(run);
        }
      }
    }
  }

  /** The log, copying to the shared store's trail when the run keeps one there. */
  private static AuditLog mirrored(AuditLog log, RunOptions options) throws IOException {
    if (options.mirror() != null) {
      try {
        log.mirrorTo(options.mirror());
      } catch (IOException | RuntimeException e) {
        log.close();
        throw e;
      }
    }
    return log;
  }

  /** The alarm as the trail records it: where it came from and its labels (never how to ask). */
  private static AuditEvent.Trigger trigger(Alarm alarm) {
    return alarm == null
        ? null
        : new AuditEvent.Trigger(alarm.source(), alarm.name(), alarm.id(), alarm.labels());
  }

  /** The library files a linked runbook uses, as run.started records them; null for none. */
  static List<AuditEvent.LibraryUsed> librariesUsed(Runbook runbook) {
    if (runbook.uses().isEmpty()) {
      return null;
    }
    List<AuditEvent.LibraryUsed> used = new ArrayList<>();
    for (LibraryUse use : runbook.uses()) {
      used.add(
          new AuditEvent.LibraryUsed(
              use.library(),
              use.file() == null
                  ? null
                  : Path.of(use.file()).toAbsolutePath().normalize().toString(),
              use.contentHash()));
    }
    return used;
  }

  /** The lock key to take on resume: recorded masked, so a key holding a secret is rebuilt. */
  private static String currentLockKey(Runbook runbook, Map<String, String> params, String shown) {
    LockKey key = lockKey(runbook, params);
    return key == null ? shown : key.key();
  }

  private static List<String> holdFiles(TrailLock trailLock, RunLock lock) {
    List<String> files = new ArrayList<>();
    files.add(trailLock.file().toString());
    if (lock != null) {
      files.add(lock.file().toString());
    }
    return files;
  }

  private RunResult execute(RunContext run) throws InterruptedException {
    long start = System.nanoTime();
    Scope root = new Scope("", null, bindings(run.runbook, run));
    Exit exit;
    try {
      exit = new StepRunner(run).walk(run.runbook.steps(), root);
    } catch (InterruptedException e) {
      return stopped(run);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (exit instanceof Exit.Paused paused) {
      run.emit(
          new AuditEvent.Paused(
              paused.step(),
              paused.question(),
              paused.reason(),
              null,
              paused.approval() ? AuditEvent.Answered.APPROVAL : null));
      return new RunResult(
          run.dir.runId(),
          null,
          paused.reason() + ": " + paused.question(),
          paused.step(),
          paused.accepted());
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
    run.emit(new AuditEvent.RunFinished(outcome, message, millis));
    return new RunResult(run.dir.runId(), outcome, message, null);
  }

  /**
   * The run was interrupted (Ctrl-C, SIGTERM): the step's processes are already stopped (a
   * transport kills them when interrupted). The stop is recorded as a pause that leaves the running
   * step in doubt, so {@code resume} asks before running it again.
   */
  private static RunResult stopped(RunContext run) {
    Thread.interrupted(); // the trail is a FileChannel: an interrupted thread cannot write it
    String reason = "stopped by a signal (Ctrl-C or SIGTERM) while steps were running";
    String step = String.join(", ", run.inFlight());
    run.emit(new AuditEvent.Paused(step, "", reason, Boolean.TRUE));
    Thread.currentThread().interrupt();
    return new RunResult(run.dir.runId(), null, reason, step.isEmpty() ? null : step);
  }

  private RunContext context(
      Runbook runbook,
      Map<String, String> params,
      RunOptions options,
      RunDirectory dir,
      Journal journal,
      AuditLog log,
      RunListener listener,
      List<String> holdFiles) {
    List<String> secrets = new ArrayList<>();
    Map<String, ParamType> types = new LinkedHashMap<>();
    for (ParamSpec spec : runbook.params().values()) {
      types.put(spec.name(), spec.type());
      if (spec.secret() && params.get(spec.name()) != null) {
        secrets.add(params.get(spec.name()));
      }
    }
    // The engine's own secrets (an SSH key's passphrase …) are masked too, wherever they appear.
    System.getenv()
        .forEach(
            (name, value) -> {
              if (name.startsWith("RUNBOOK_SECRET_")) {
                secrets.add(value);
              }
            });
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
        Expressions.paramActivation(types, values),
        holdFiles);
  }

  private static Bindings bindings(Runbook runbook, RunContext run) {
    Map<String, Value> params = InputResolver.paramValues(runbook, run.params);
    return new Bindings(params, run.stepResults::get, run.captured::get);
  }

  private static Map<String, String> shownParams(Runbook runbook, Map<String, String> params) {
    Map<String, String> shown = new LinkedHashMap<>();
    InputResolver.paramValues(runbook, params)
        .forEach((name, value) -> shown.put(name, value.secret() ? Secret.MASK : value.text()));
    return shown;
  }

  /** A run's lock key: the real key, and the key as the trail shows it (secrets masked). */
  record LockKey(String key, String shown) {}

  /**
   * The lock key, with host values normalised (lower case, no trailing dot) so that {@code
   * MRS-NODE-1} and {@code mrs-node-1.} lock the same host.
   *
   * @throws IllegalArgumentException when the key names a value that is not there
   */
  static LockKey lockKey(Runbook runbook, Map<String, String> params) {
    if (runbook.lock() == null) {
      return null;
    }
    Map<String, Value> values = new LinkedHashMap<>();
    InputResolver.paramValues(runbook, params)
        .forEach(
            (name, value) -> {
              ParamSpec spec = runbook.params().get(name);
              boolean host = spec.type() == ParamType.HOST || spec.type() == ParamType.HOSTS;
              values.put(
                  name, host ? new Value(normalizeHosts(value.text()), value.secret()) : value);
            });
    Rendered rendered =
        Interpolator.render(
            runbook.lock(), Interpolator.Mode.TEXT, new Bindings(values, id -> null));
    if (!rendered.unresolved().isEmpty()) {
      throw new IllegalArgumentException(
          "lock: no value for "
              + String.join(", ", rendered.unresolved())
              + " (give it with -p NAME=VALUE: the run's lock key needs it)");
    }
    return new LockKey(rendered.text(), rendered.masked());
  }

  private static String normalizeHosts(String hosts) {
    List<String> names = new ArrayList<>();
    for (String host : hosts.split(",")) {
      String name = host.strip().toLowerCase(Locale.ROOT);
      names.add(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
    }
    return String.join(",", names);
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
