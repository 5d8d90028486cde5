package dev.runbook.engine.execute;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.Alarm;
import dev.runbook.api.FailureKind;
import dev.runbook.api.InputType;
import dev.runbook.api.OutputSink;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.StepFailure;
import dev.runbook.api.StepResult;
import dev.runbook.api.Target;
import dev.runbook.api.TargetKind;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.expr.ConditionException;
import dev.runbook.engine.expr.InputResolver;
import dev.runbook.engine.flow.StepOutcome;
import dev.runbook.engine.model.Durations;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an action step: resolves its target and inputs, records the exact command, then executes it
 * with its timeout, retries and accepted exit codes, or as a poll until its condition holds.
 */
final class ActionRunner {

  /** How long past its timeout an action may take to stop by itself before it is interrupted. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final RunContext run;

  ActionRunner(RunContext run) {
    this.run = run;
  }

  /** The action's outcome; for a poll, with value true (condition met) or false (timed out). */
  StepOutcome run(Step step, StepKind.ActionCall call, Scope scope, String path)
      throws InterruptedException {
    run.running(path, true);
    try {
      StepOutcome outcome = runAction(step, call, scope, path);
      run.running(path, false);
      return outcome;
    } catch (RuntimeException e) {
      run.running(path, false);
      throw e;
    }
    // An interrupt leaves the path among those running: the record of the stop names it.
  }

  private StepOutcome runAction(Step step, StepKind.ActionCall call, Scope scope, String path)
      throws InterruptedException {
    Action action = run.plugins.action(call.action()).orElseThrow();
    InputResolver.ResolvedTarget target =
        InputResolver.target(run.runbook, step.on(), scope.bindings(), run.options.inventory());
    InputResolver.Resolved inputs =
        InputResolver.inputs(call, action.descriptor(), scope.bindings());
    InputResolver.ResolvedTarget host =
        InputResolver.host(run.runbook, target.target(), scope.bindings(), run.options.inventory());
    List<String> missing = new ArrayList<>(target.unresolved());
    missing.addAll(host.unresolved());
    missing.addAll(inputs.unresolved());
    if (!missing.isEmpty()) {
      return StepOutcome.failure(
          StepFailure.of(
              FailureKind.CONFIG,
              "no value for "
                  + String.join(", ", missing)
                  + (missing.stream().anyMatch(m -> m.startsWith("params."))
                      ? " (give it with -p NAME=VALUE)"
                      : "")),
          Map.of());
    }
    Optional<String> noShell = noShell(call, action, host.target());
    if (noShell.isPresent()) {
      return StepOutcome.failure(StepFailure.of(FailureKind.CONFIG, noShell.get()), Map.of());
    }
    if (!inputs.refused().isEmpty()) {
      return StepOutcome.failure(
          StepFailure.of(
              FailureKind.CONFIG, run.redactor.redact(String.join("; ", inputs.refused()))),
          Map.of());
    }
    boolean changes =
        call.changes() != null ? call.changes() : action.descriptor().changesByDefault();
    ActionRequest request = new ActionRequest(step.id(), inputs.values(), target.target(), changes);
    PlannedAction planned = action.preview(request);
    run.emit(
        new AuditEvent.CommandRendered(
            path,
            planned.target(),
            run.redactor.redact(planned.command()),
            changes,
            planned.environment().isEmpty()
                ? null
                : run.redactor.redactStrings(planned.environment())));
    Duration timeout;
    Duration every;
    try {
      timeout = duration(call.timeout(), scope, StepKind.DEFAULT_ACTION_TIMEOUT);
      every = duration(call.every(), scope, Duration.ofSeconds(10));
    } catch (MissingValue | IllegalArgumentException e) {
      return StepOutcome.failure(StepFailure.of(FailureKind.CONFIG, e.getMessage()), Map.of());
    }
    if (call.isPoll()) {
      return poll(step, call, scope, path, action, request, host.target(), timeout, every);
    }
    StepOutcome outcome = null;
    for (int attempt = 1; attempt <= call.retry().attempts(); attempt++) {
      if (attempt > 1) {
        run.emit(
            new AuditEvent.StepStarted(
                path,
                step.id(),
                step.ref(),
                step.title(),
                step.kind().label(),
                attempt,
                planned.target(),
                call.idempotent(),
                changes && !call.idempotent()));
      }
      outcome = once(call, path, attempt, action, request, host.target(), timeout);
      boolean lastAttempt = attempt == call.retry().attempts();
      if (!(outcome instanceof StepOutcome.Failed failed)
          || !failed.failure().retryable()
          || lastAttempt) {
        return outcome;
      }
      run.listener()
          .progress(
              path,
              "attempt "
                  + attempt
                  + " failed ("
                  + failed.failure()
                  + "); trying again in "
                  + Durations.format(call.retry().delay()));
      run.options.sleeper().sleep(call.retry().delay());
    }
    return outcome;
  }

  private StepOutcome poll(
      Step step,
      StepKind.ActionCall call,
      Scope scope,
      String path,
      Action action,
      ActionRequest request,
      Target host,
      Duration timeout,
      Duration every)
      throws InterruptedException {
    Clock clock = run.options.clock();
    Instant start = clock.instant();
    Instant deadline = start.plus(timeout);
    for (int attempt = 1; ; attempt++) {
      Duration left = Duration.between(clock.instant(), deadline);
      StepOutcome outcome =
          once(
              call,
              path,
              attempt,
              action,
              request,
              host,
              left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left);
      boolean met = false;
      if (outcome instanceof StepOutcome.Succeeded) {
        try {
          met = run.conditions.evaluate(call.until(), scope, outcome.data()).value();
        } catch (ConditionException e) {
          return new StepOutcome.Failed(
              StepFailure.of(FailureKind.CONFIG, e.problems().get(0).message()),
              outcome.data(),
              outcome.execution());
        }
      }
      long elapsed = Duration.between(start, clock.instant()).toMillis();
      run.emit(new AuditEvent.WaitProgress(path, elapsed, timeout.toMillis(), attempt));
      run.listener()
          .progress(
              path,
              "polling "
                  + step.id()
                  + ": attempt "
                  + attempt
                  + ", condition "
                  + (met ? "met" : "not met")
                  + ", "
                  + Durations.format(Duration.ofMillis(elapsed / 1000 * 1000))
                  + " of "
                  + Durations.format(timeout));
      if (met) {
        return ((StepOutcome.Succeeded) outcome).withValue(true);
      }
      if (!clock.instant().plus(every).isBefore(deadline)) {
        if (step.no() == null) {
          return new StepOutcome.Failed(
              StepFailure.of(
                  FailureKind.TIMEOUT,
                  "condition '" + call.until() + "' not met within " + Durations.format(timeout)),
              outcome.data(),
              outcome.execution());
        }
        return new StepOutcome.Succeeded(false, outcome.data(), outcome.execution());
      }
      run.options.sleeper().sleep(every);
    }
  }

  /**
   * Shell lines are rendered for POSIX {@code sh}: a step whose commands would run on a machine of
   * a kind without one is refused (the validator refuses it already when the target is a literal).
   */
  private Optional<String> noShell(StepKind.ActionCall call, Action action, Target host) {
    TargetKind kind = run.plugins.targetKinds().get(host.kind());
    if (kind == null || kind.shell() == TargetKind.ShellDialect.POSIX) {
      return Optional.empty();
    }
    boolean givesShell =
        call.inputs().keySet().stream()
            .map(action.descriptor().inputs()::get)
            .anyMatch(spec -> spec != null && spec.type() == InputType.SHELL);
    return givesShell
        ? Optional.of(
            "its commands would run on '"
                + host.name()
                + "', a "
                + host.kind()
                + " target with no POSIX shell; shell lines cannot run there")
        : Optional.empty();
  }

  /** One execution of the action, with its output captured and its timeout enforced. */
  private StepOutcome once(
      StepKind.ActionCall call,
      String path,
      int attempt,
      Action action,
      ActionRequest request,
      Target host,
      Duration timeout)
      throws InterruptedException {
    String name = attempt > 1 ? path + "#" + attempt : path;
    AtomicBoolean timedOut = new AtomicBoolean();
    Thread worker = Thread.currentThread();
    ScheduledFuture<?> guard =
        run.watchdog.schedule(
            () -> {
              timedOut.set(true);
              worker.interrupt();
            },
            timeout.plus(GRACE).toMillis(),
            TimeUnit.MILLISECONDS);
    StepResult result;
    Map<String, Object> data;
    AuditEvent.OutputRecord recorded;
    AtomicReference<String> ranOn = new AtomicReference<>();
    try (StepOutput output =
        new StepOutput(name, run.dir.path(), run.redactor, run.listener(), call.secretOutput())) {
      try {
        result = action.execute(request, context(host, output, timeout, name, ranOn));
      } catch (InterruptedException e) {
        if (!timedOut.get()) {
          throw e;
        }
        result =
            StepResult.failed(
                StepFailure.of(
                    FailureKind.TIMEOUT,
                    "did not stop "
                        + Durations.format(GRACE)
                        + " after its timeout of "
                        + Durations.format(timeout)
                        + "; interrupted"));
      } catch (RuntimeException e) {
        result =
            StepResult.failed(
                StepFailure.of(
                    FailureKind.PLUGIN_ERROR, "action '" + call.action() + "' failed: " + e));
      } finally {
        guard.cancel(false);
        if (timedOut.get()) {
          Thread.interrupted(); // the interrupt was ours, for this attempt only
        }
      }
      // Conditions compute with the real values; the trail and the console get redacted copies.
      data = JsonValues.normalizeMap(result.data());
      recorded = output.record();
    }
    Long exitCode = result.exitCode().isPresent() ? result.exitCode().getAsLong() : null;
    StepOutcome.Execution execution = new StepOutcome.Execution(ranOn.get(), exitCode, recorded);
    if (result.isSuccess()) {
      return new StepOutcome.Succeeded(null, data, execution);
    }
    StepFailure failure = result.failure().orElseThrow();
    if (failure.kind() == FailureKind.NON_ZERO_EXIT
        && exitCode != null
        && call.exitCodes().contains(exitCode.intValue())) {
      return new StepOutcome.Succeeded(null, data, execution);
    }
    return new StepOutcome.Failed(
        StepFailure.of(failure.kind(), run.redactor.redact(failure.message())), data, execution);
  }

  /**
   * @param host where the action's commands run: the step's target, or for a client target ({@code
   *     kubectl:}) its {@code via} target or the engine's machine
   */
  private ActionContext context(
      Target host,
      OutputSink output,
      Duration timeout,
      String name,
      AtomicReference<String> ranOn) {
    return new ActionContext() {
      @Override
      public Transport transport() throws TransportException {
        try {
          Transport transport = run.transports.get(host);
          ranOn.set(transport.describe());
          return transport;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TransportException(
              FailureKind.INTERRUPTED, "interrupted while connecting to " + host.describe(), e);
        }
      }

      @Override
      public OutputSink output() {
        return output;
      }

      @Override
      public Optional<Duration> timeout() {
        return Optional.of(timeout);
      }

      @Override
      public Clock clock() {
        return run.options.clock();
      }

      @Override
      public Path scratchDirectory() {
        Path dir =
            run.dir.path().resolve("scratch").resolve(name.replaceAll("[^A-Za-z0-9@#._-]+", "_"));
        try {
          PrivateFiles.createDirectories(dir);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return dir;
      }

      @Override
      public void maskSecret(String value) {
        run.redactor.learn(value);
      }

      @Override
      public Optional<Alarm> alarm() {
        return Optional.ofNullable(run.options.alarm());
      }
    };
  }

  /**
   * A step's timeout or poll interval.
   *
   * @throws MissingValue when it names a value that is not there
   * @throws IllegalArgumentException when it is not a duration
   */
  private static Duration duration(Template template, Scope scope, Duration fallback)
      throws MissingValue {
    if (template == null) {
      return fallback;
    }
    return Durations.parse(MissingValue.render(template, scope.bindings()).text());
  }
}
