package dev.runbook.engine.execute;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepFailure;
import dev.runbook.engine.Answer;
import dev.runbook.engine.Question;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.expr.ConditionException;
import dev.runbook.engine.expr.InputResolver;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.flow.Exit;
import dev.runbook.engine.flow.FlowWalker;
import dev.runbook.engine.flow.StepDriver;
import dev.runbook.engine.flow.StepOutcome;
import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Condition;
import dev.runbook.engine.model.Durations;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one step of any kind and records it: {@code step.started}, what the kind records, then
 * {@code step.finished}. A step the journal already finished is not run again; its recorded result
 * is taken as it was (resume).
 */
final class StepRunner implements StepDriver<Scope> {

  /** A guard far above any real procedure; reaching it is a bug, reported as a failure. */
  private static final int MAX_STEPS_PER_LIST = 100_000;

  private final RunContext run;
  private final ActionRunner actions;
  private final QuestionRunner questions;
  private final CallRunner calls;
  private final ApprovalGate approvals;
  private final FlowWalker<Scope> walker;

  StepRunner(RunContext run) {
    this.run = run;
    this.approvals = new ApprovalGate(run);
    this.walker = new FlowWalker<>(this, MAX_STEPS_PER_LIST);
    this.actions = new ActionRunner(run);
    this.questions = new QuestionRunner(run);
    this.calls = new CallRunner(run, this);
  }

  /** Runs a step list (the main steps, a procedure's) in its scope, to its exit. */
  Exit walk(List<Step> list, Scope scope) throws InterruptedException {
    return walker.walk(list, scope, scope.inProcedure());
  }

  @Override
  public StepOutcome step(Step step, Scope scope) throws InterruptedException {
    int visit = scope.visit(step.id());
    String path = scope.path(step.id(), visit);
    if (step.maxVisits() != null && visit > step.maxVisits()) {
      return limitReached(step, path, visit);
    }
    Optional<AuditEvent.StepFinished> done = run.journal.finished(path);
    boolean callLike =
        step.kind() instanceof StepKind.Call || step.kind() instanceof StepKind.Foreach;
    if (done.isPresent() && !callLike && replaysCapture(step)) {
      return replayed(step, done.get());
    }
    boolean started = run.journal.started(path).isPresent();
    if (!started) {
      Optional<StepOutcome> held = approvals.before(step, path);
      if (held.isPresent()) {
        return held.get();
      }
      run.emit(
          new AuditEvent.StepStarted(
              path,
              step.id(),
              step.ref(),
              step.title(),
              step.kind().label(),
              1,
              targetOf(step, scope),
              step.kind() instanceof StepKind.ActionCall a ? a.idempotent() : null,
              unsafeToRepeat(step)));
    }
    long startNanos = System.nanoTime();
    StepOutcome outcome = execute(step, scope, path, started);
    if (done.isPresent()) {
      return outcome;
    }
    if (outcome instanceof StepOutcome.Exited exited) {
      // A return finishes its step; an end or a pause leaves it to the run's record.
      if (exited.exit() instanceof Exit.Return) {
        finish(step, path, outcome, startNanos);
      }
      return outcome;
    }
    if (step.kind() instanceof StepKind.ActionCall) {
      run.stepResults.put(step.id(), outcome.data());
    }
    finish(step, path, outcome, startNanos);
    return outcome;
  }

  private void finish(Step step, String path, StepOutcome outcome, long startNanos) {
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    StepFailure failure = outcome instanceof StepOutcome.Failed f ? f.failure() : null;
    StepOutcome.Execution execution = outcome.execution();
    // The exit code is recorded once, in its own field; a replay puts it back into the result.
    Map<String, Object> data = new LinkedHashMap<>(outcome.data());
    if (execution.exitCode() != null) {
      data.remove(EXIT_CODE);
    }
    run.emit(
        new AuditEvent.StepFinished(
            path,
            failure == null ? AuditEvent.StepStatus.SUCCEEDED : AuditEvent.StepStatus.FAILED,
            outcome instanceof StepOutcome.Succeeded s ? s.value() : null,
            execution.exitCode(),
            millis,
            failure == null ? null : failure.kind().label(),
            failure == null ? null : failure.message(),
            data.isEmpty()
                ? null
                : recorded(step, run.redactor.redactMap(TrailValues.compact(data))),
            execution.output(),
            execution.ranOn(),
            unsafeToRepeat(step)));
  }

  private static final String EXIT_CODE = "exitCode";

  private static boolean secretOutput(Step step) {
    return step.kind() instanceof StepKind.ActionCall call && call.secretOutput();
  }

  /** A result as the trail keeps it: a secret-output step's texts masked, numbers kept. */
  private static Map<String, Object> recorded(Step step, Map<String, Object> result) {
    return secretOutput(step) ? TrailValues.masked(result) : result;
  }

  /**
   * The step would run more often than its {@code max_visits}: the trail records the visit that was
   * refused, naming the step and its limit, and the step fails (its {@code on_failure} may lead to
   * the document's fallback). A resumed run replays the recorded refusal.
   */
  private StepOutcome limitReached(Step step, String path, int visit) {
    Optional<AuditEvent.StepFinished> done = run.journal.finished(path);
    if (done.isPresent()) {
      return replayed(step, done.get());
    }
    StepFailure failure =
        StepFailure.of(
            FailureKind.LIMIT_REACHED,
            "step '"
                + step.id()
                + "' would run a "
                + ordinal(visit)
                + " time, more than its max_visits ("
                + step.maxVisits()
                + "): the loop did not converge");
    if (run.journal.started(path).isEmpty()) {
      run.emit(
          new AuditEvent.StepStarted(
              path,
              step.id(),
              step.ref(),
              step.title(),
              step.kind().label(),
              1,
              null,
              null,
              false));
    }
    StepOutcome outcome = StepOutcome.failure(failure, Map.of());
    finish(step, path, outcome, System.nanoTime());
    return outcome;
  }

  /**
   * Whether running the step twice could do harm: an action that changes the system and is not
   * idempotent. Only such a step's start and end must be on disk before the run goes on.
   */
  boolean unsafeToRepeat(Step step) {
    if (!(step.kind() instanceof StepKind.ActionCall call) || call.idempotent()) {
      return false;
    }
    return run.changes(call);
  }

  private StepOutcome replayed(Step step, AuditEvent.StepFinished done) {
    ParamSpec capture = StepKind.captureOf(step.kind());
    if (capture != null && !done.failed()) {
      run.journal.answer(done.step()).ifPresent(a -> capture(capture, a.answer()));
    }
    Map<String, Object> data =
        JsonValues.normalizeMap(done.result() == null ? Map.of() : done.result());
    if (done.exitCode() != null) {
      data.put(EXIT_CODE, done.exitCode());
    }
    if (step.kind() instanceof StepKind.ActionCall) {
      run.stepResults.put(step.id(), data);
    }
    if (!done.failed()) {
      StepKind kind = step.kind();
      if (kind instanceof StepKind.End end) {
        return StepOutcome.exit(new Exit.End(end.outcome(), end.message()));
      }
      if (kind instanceof StepKind.Return ret) {
        return StepOutcome.exit(new Exit.Return(ret.value()));
      }
      if (step.cases() != null && data.get(StepOutcome.CASE) instanceof String label) {
        return StepOutcome.chose(label);
      }
      return StepOutcome.success(done.value(), data);
    }
    return StepOutcome.failure(StepFailure.of(done.kind(), done.message()), data);
  }

  private StepOutcome execute(Step step, Scope scope, String path, boolean resumedMidStep)
      throws InterruptedException {
    StepKind kind = step.kind();
    if (kind instanceof StepKind.ActionCall call) {
      if (resumedMidStep) {
        Optional<StepOutcome> refused = inDoubt(step, call, path);
        if (refused.isPresent()) {
          return refused.get();
        }
      }
      StepOutcome outcome = actions.run(step, call, scope, path);
      if (outcome instanceof StepOutcome.Succeeded succeeded && call.condition() != null) {
        return decide(step, call.condition(), scope, path, succeeded.data(), succeeded);
      }
      return outcome;
    }
    if (kind instanceof StepKind.Decision decision) {
      return decide(
          step, decision.condition(), scope, path, null, StepOutcome.success(null, Map.of()));
    }
    if (kind instanceof StepKind.Switch choice) {
      return choose(step, choice, scope, path);
    }
    if (kind instanceof StepKind.Sleep sleep) {
      return sleep(step, sleep, scope, path);
    }
    try {
      if (kind instanceof StepKind.Ask ask) {
        return question(
            path,
            step,
            MissingValue.render(ask.question(), scope.bindings()).masked(),
            ask.capture() != null
                ? Question.Kind.VALUE
                : step.cases() != null ? Question.Kind.CHOICE : Question.Kind.YES_NO,
            ask.capture());
      }
      if (kind instanceof StepKind.Manual manual) {
        return question(
            path,
            step,
            MissingValue.render(manual.instruction(), scope.bindings()).masked(),
            manual.capture() != null ? Question.Kind.VALUE : Question.Kind.CONFIRM,
            manual.capture());
      }
    } catch (MissingValue e) {
      return StepOutcome.failure(StepFailure.of(FailureKind.CONFIG, e.getMessage()), Map.of());
    }
    if (kind instanceof StepKind.Call call) {
      return calls.call(step, call, scope, path);
    }
    if (kind instanceof StepKind.Foreach each) {
      return calls.foreach(step, each, scope, path);
    }
    if (kind instanceof StepKind.End end) {
      return StepOutcome.exit(new Exit.End(end.outcome(), end.message()));
    }
    if (kind instanceof StepKind.Return ret) {
      return StepOutcome.exit(new Exit.Return(ret.value()));
    }
    throw new IllegalStateException("a validated runbook has no " + kind.label() + " steps");
  }

  /** A non-idempotent action cut off by a crash: ask before running it again. */
  private Optional<StepOutcome> inDoubt(Step step, StepKind.ActionCall call, String path)
      throws InterruptedException {
    if (call.idempotent()) {
      run.listener()
          .progress(
              path,
              "step '"
                  + step.id()
                  + "' was cut off when the run stopped; it is idempotent, so it runs again");
      return Optional.empty();
    }
    String text =
        "Step '"
            + step.id()
            + "' was running when the run stopped, so it may or may not have taken"
            + " effect, and it is not marked idempotent. Run it again? (no: count it as failed)";
    Optional<Answer> answer =
        questions.ask(new Question(path, step.id(), text, Question.Kind.IN_DOUBT));
    if (answer.isEmpty()) {
      return Optional.of(
          StepOutcome.exit(new Exit.Paused(path, text, "in doubt after a crash", "yes or no")));
    }
    if (!answer.get().yes()) {
      return Optional.of(
          StepOutcome.failure(
              StepFailure.of(
                  FailureKind.INTERRUPTED,
                  "cut off by a crash and not run again (operator's answer)"),
              Map.of()));
    }
    return Optional.empty();
  }

  private StepOutcome decide(
      Step step,
      Condition condition,
      Scope scope,
      String path,
      Map<String, Object> result,
      StepOutcome.Succeeded base) {
    ConditionEvaluator.Evaluation evaluation;
    try {
      evaluation = run.conditions.evaluate(condition, scope, result);
    } catch (ConditionException e) {
      return new StepOutcome.Failed(
          StepFailure.of(FailureKind.CONFIG, run.redactor.redact(e.problems().get(0).message())),
          base.data(),
          base.execution());
    }
    String branch = Branch.describe(evaluation.value() ? step.yes() : step.no());
    if (!run.journal.decided(path)) {
      run.emit(
          new AuditEvent.Decision(
              path,
              condition.expression(),
              secretOutput(step) ? TrailValues.masked(evaluation.read()) : evaluation.read(),
              evaluation.value(),
              branch));
    }
    return base.withValue(evaluation.value());
  }

  /**
   * A switch: its value, as text, picks a case (or the default); the trail's decision records the
   * value, what it read, and where flow went.
   */
  private StepOutcome choose(Step step, StepKind.Switch choice, Scope scope, String path) {
    ConditionEvaluator.Choice chosen;
    try {
      chosen = run.conditions.choose(choice.value(), scope);
    } catch (ConditionException e) {
      return StepOutcome.failure(
          StepFailure.of(FailureKind.CONFIG, run.redactor.redact(e.problems().get(0).message())),
          Map.of());
    }
    if (!run.journal.decided(path)) {
      run.emit(
          new AuditEvent.Decision(
              path,
              choice.value().expression(),
              chosen.read(),
              step.cases().matches(chosen.value()),
              Branch.describe(step.cases().select(chosen.value())),
              run.redactor.redact(chosen.value())));
    }
    return StepOutcome.chose(chosen.value());
  }

  private StepOutcome sleep(Step step, StepKind.Sleep sleep, Scope scope, String path)
      throws InterruptedException {
    Duration total;
    try {
      total = Durations.parse(MissingValue.render(sleep.duration(), scope.bindings()).text());
    } catch (MissingValue | IllegalArgumentException e) {
      return StepOutcome.failure(StepFailure.of(FailureKind.CONFIG, e.getMessage()), Map.of());
    }
    Instant begun = run.journal.started(path).orElse(run.options.clock().instant());
    Instant end = begun.plus(total);
    Duration chunk = Duration.ofMillis(Math.max(1000, total.toMillis() / 12));
    // The clock alone does not end the wait: a sleeper that returns early (or a clock that does
    // not move) would spin here writing wait.progress for ever. The loop is bounded by what it
    // asked the sleeper for too: once it has asked for all the time left when it began, the wait
    // is over, so it makes at most total / chunk + 1 passes (13 at most), whatever clock and
    // sleeper do.
    Duration leftAtStart = Duration.between(run.options.clock().instant(), end);
    Duration asked = Duration.ZERO;
    long passes = leftAtStart.isNegative() ? 0 : leftAtStart.toMillis() / chunk.toMillis() + 1;
    for (long pass = 0; ; pass++) {
      Instant now = run.options.clock().instant();
      Duration left = Duration.between(now, end);
      long elapsed = Math.min(total.toMillis(), Duration.between(begun, now).toMillis());
      run.listener()
          .progress(
              path,
              "waiting for "
                  + step.id()
                  + ": "
                  + Durations.format(Duration.ofSeconds(elapsed / 1000))
                  + " of "
                  + Durations.format(total));
      if (left.isNegative()
          || left.isZero()
          || asked.compareTo(leftAtStart) >= 0
          || pass >= passes) {
        return StepOutcome.success(null, Map.of());
      }
      Duration nap = min(left, chunk, leftAtStart.minus(asked));
      run.options.sleeper().sleep(nap);
      asked = asked.plus(nap);
      run.emit(
          new AuditEvent.WaitProgress(
              path,
              Math.min(
                  total.toMillis(),
                  Duration.between(begun, run.options.clock().instant()).toMillis()),
              total.toMillis(),
              null));
    }
  }

  private static Duration min(Duration a, Duration b, Duration c) {
    Duration ab = a.compareTo(b) < 0 ? a : b;
    return ab.compareTo(c) < 0 ? ab : c;
  }

  private StepOutcome question(
      String path, Step step, String text, Question.Kind kind, ParamSpec capture)
      throws InterruptedException {
    List<String> choices = kind == Question.Kind.CHOICE ? step.cases().answers() : List.of();
    Question question = new Question(path, step.id(), text.strip(), kind, choices, capture);
    Optional<Answer> answer = questions.ask(question);
    if (answer.isEmpty()) {
      return StepOutcome.exit(
          new Exit.Paused(
              path, text.strip(), "waiting for a person's answer", question.accepted()));
    }
    if (kind == Question.Kind.CONFIRM && !answer.get().yes()) {
      return StepOutcome.exit(
          new Exit.Paused(
              path, text.strip(), "the operator said it is not done yet", question.accepted()));
    }
    if (kind == Question.Kind.VALUE) {
      capture(capture, answer.get().value());
    }
    if (kind == Question.Kind.CHOICE) {
      return StepOutcome.chose(answer.get().value());
    }
    return StepOutcome.success(kind == Question.Kind.YES_NO ? answer.get().yes() : null, Map.of());
  }

  /** Keeps a captured value for later steps; a secret one is masked from now on. */
  private void capture(ParamSpec spec, String value) {
    run.captured.put(spec.name(), new Value(value, spec.secret(), spec.allowLeadingDash()));
    if (spec.secret()) {
      run.redactor.learn(value);
    }
  }

  /**
   * A finished step that captured a value gives it again from its recorded answer; a secret one
   * (recorded as {@code ****}) cannot, so it is asked again.
   */
  private static boolean replaysCapture(Step step) {
    ParamSpec spec = StepKind.captureOf(step.kind());
    return spec == null || !spec.secret();
  }

  private String targetOf(Step step, Scope scope) {
    if (!(step.kind() instanceof StepKind.ActionCall)) {
      return null;
    }
    return InputResolver.target(run.runbook, step.on(), scope.bindings(), run.options.inventory())
        .target()
        .describe();
  }

  private static String ordinal(int n) {
    return n
        + (n % 100 >= 11 && n % 100 <= 13
            ? "th"
            : switch (n % 10) {
              case 1 -> "st";
              case 2 -> "nd";
              case 3 -> "rd";
              default -> "th";
            });
  }
}
