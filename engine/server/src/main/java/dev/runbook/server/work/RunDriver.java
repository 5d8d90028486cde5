package dev.runbook.server.work;

import dev.runbook.engine.Answer;
import dev.runbook.engine.Answerer;
import dev.runbook.engine.Engine;
import dev.runbook.engine.Plan;
import dev.runbook.engine.Refused;
import dev.runbook.engine.ResumeRequest;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunRequest;
import dev.runbook.engine.RunResult;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditEvent.RunFinished;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.model.Trigger;
import dev.runbook.server.metrics.ServerMetrics;
import dev.runbook.server.notify.Notifier;
import dev.runbook.server.queue.AlertQueue;
import dev.runbook.server.queue.AlertRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Drives one alert's run through the engine facade: starts it (or plans it), resumes it with a
 * person's answers or after a restart, and records each step of that in the queue before going on.
 * Every run the server starts pauses rather than ask anyone: its answerer is {@link
 * Answerer#NOBODY}; people answer through the API, and their answers come back as given answers.
 */
public final class RunDriver {

  /** Who the trail names for runs the server starts, beside the OS account. */
  public static final String OPERATOR = "runbook-serve";

  private final Engine engine;
  private final AlertQueue queue;
  private final ServerMetrics metrics;
  private final Notifier notifier;
  private final String approveHint;
  private final Consumer<String> log;
  private final TargetLocks locks;

  /**
   * @param approveHint how a person reaches this server, for notices ({@code --server URL})
   */
  public RunDriver(
      Engine engine,
      AlertQueue queue,
      ServerMetrics metrics,
      Notifier notifier,
      String approveHint,
      Consumer<String> log) {
    this(engine, queue, metrics, notifier, approveHint, log, TargetLocks.LOCAL);
  }

  /**
   * @param locks runbook locks across servers (a shared store), or {@link TargetLocks#LOCAL}
   */
  public RunDriver(
      Engine engine,
      AlertQueue queue,
      ServerMetrics metrics,
      Notifier notifier,
      String approveHint,
      Consumer<String> log,
      TargetLocks locks) {
    this.locks = locks;
    this.engine = engine;
    this.queue = queue;
    this.metrics = metrics;
    this.notifier = notifier;
    this.approveHint = approveHint;
    this.log = log;
  }

  /** What happened to a job: done, or to be tried again later (a lock another run holds). */
  public enum Done {
    DONE,
    RETRY_LATER,
    /** The run was cut off before its first step and cannot be resumed: run the alert anew. */
    START_AGAIN
  }

  /** Starts the run of a queued alert (or plans it, under the plan policy). */
  public Done start(AlertRecord queued) throws InterruptedException, IOException {
    AlertRecord record = queued.with(AlertRecord.State.RUNNING);
    queue.update(record);
    if (Trigger.Policy.PLAN.label().equals(record.policy())) {
      return plan(record);
    }
    TargetLocks.Held lock = sharedLock(record);
    if (lock == null) {
      // A run on another server holds the runbook's lock: wait without a worker, as below.
      queue.update(record.with(AlertRecord.State.QUEUED));
      return Done.RETRY_LATER;
    }
    RunRequest request =
        new RunRequest(
            record.runbook(),
            record.values(),
            record.answers().isEmpty()
                ? List.of()
                : List.of(new RunRequest.GivenAnswers("alert", alertAnswers(record))),
            Answerer.NOBODY,
            Duration.ZERO,
            server(),
            Trigger.Policy.AUTO.label().equals(record.policy())
                ? RunRequest.Approval.NONE
                : RunRequest.Approval.BEFORE_FIRST_CHANGE,
            new ServerAlarm(record, queue));
    Watch current = new Watch(record);
    try (lock) {
      RunResult result = engine.run(request, current);
      ended(current, result);
      return Done.DONE;
    } catch (Refused e) {
      return refused(current.record, e);
    }
  }

  /**
   * The runbook's lock taken across servers (a no-op on one server alone), or null when a run
   * elsewhere holds it. A run whose values do not fit gets no lock: the engine refuses it anyway,
   * and says why.
   */
  private TargetLocks.Held sharedLock(AlertRecord record) throws IOException {
    if (!locks.shared()) {
      return () -> {};
    }
    String key;
    try {
      key = engine.plan(engine.runbook(record.runbook()), record.values(), Map.of()).lock();
    } catch (Refused e) {
      return () -> {};
    }
    return key == null ? () -> {} : locks.take(key).orElse(null);
  }

  /**
   * Continues a run: with a person's answers (approve, answer), or with none after a restart (the
   * crash rules then apply: an idempotent step cut off runs again, an unsafe one is asked).
   */
  public Done resume(AlertRecord paused, List<RunRequest.GivenAnswers> answers, String who)
      throws InterruptedException, IOException {
    AlertRecord record = paused.with(AlertRecord.State.RUNNING);
    queue.update(record);
    TargetLocks.Held lock = sharedLock(record);
    if (lock == null) {
      queue.update(record.with(AlertRecord.State.PAUSED));
      return Done.RETRY_LATER;
    }
    Watch current = new Watch(record);
    try (lock) {
      RunResult result =
          engine.resume(
              new ResumeRequest(
                  record.runId(),
                  Map.of(),
                  answers,
                  Answerer.NOBODY,
                  Duration.ZERO,
                  false,
                  new RunRequest.Operator(who, osUser()),
                  new ServerAlarm(record, queue)),
              current);
      ended(current, result);
      return Done.DONE;
    } catch (Refused e) {
      if (e.reason() == Refused.Reason.LOCK_HELD) {
        queue.update(current.record.with(AlertRecord.State.PAUSED));
        return Done.RETRY_LATER;
      }
      Optional<AuditEvent.RunFinished> finished = finishedRun(record.runId());
      if (e.reason() == Refused.Reason.NOT_RESUMABLE && finished.isPresent()) {
        // The run had ended, but its server died (or lost the store) before the alert's record
        // said so: the trail's end is the outcome.
        RunFinished end = finished.get();
        String outcome = end.outcome().label();
        queue.update(current.record.ended(AlertRecord.State.ENDED, outcome, end.message()));
        metrics.run(outcome);
        tell(
            "run "
                + record.runId()
                + " of "
                + record.runbook()
                + " (alert "
                + record.alarm()
                + ") had ended "
                + outcome
                + " before it was taken over"
                + (end.message() == null ? "" : ": " + end.message()));
        return Done.DONE;
      }
      if (e.reason() == Refused.Reason.NOT_RESUMABLE && nothingRan(record.runId())) {
        // Killed between the run's first line and its head: the trail cannot be resumed (its
        // end cannot be vouched for), but it shows that no step began. The alert runs anew.
        String why =
            "run "
                + record.runId()
                + " was cut off before its first step and cannot be resumed ("
                + e.getMessage()
                + "); the alert runs again in a new run";
        log.accept(why);
        queue.update(current.record.withRun(null).ended(AlertRecord.State.QUEUED, null, why));
        return Done.START_AGAIN;
      }
      log.accept("run " + record.runId() + " could not be resumed: " + e.getMessage());
      queue.update(current.record.ended(AlertRecord.State.ENDED, "error", e.getMessage()));
      return Done.DONE;
    }
  }

  /** The run's end, when its trail (here, brought from the store if shared) has one. */
  private Optional<AuditEvent.RunFinished> finishedRun(String runId) {
    try {
      List<AuditEvent> events = AuditTrail.read(engine.findRun(runId)).events();
      return events.isEmpty() || !(events.get(events.size() - 1) instanceof RunFinished end)
          ? Optional.empty()
          : Optional.of(end);
    } catch (Refused | IOException e) {
      return Optional.empty();
    }
  }

  /** Whether a run's trail shows no step begun: only its {@code run.started}. */
  private boolean nothingRan(String runId) {
    try {
      List<AuditEvent> events = AuditTrail.read(engine.findRun(runId)).events();
      return events.size() == 1 && events.get(0) instanceof AuditEvent.RunStarted;
    } catch (Refused | IOException e) {
      return false;
    }
  }

  /**
   * Records that driving an alert's run failed inside the server (a bug), so it is not left open.
   */
  void failed(String key, Exception e) {
    try {
      queue
          .get(key)
          .ifPresent(
              record -> {
                try {
                  queue.update(
                      record.ended(AlertRecord.State.ENDED, "error", "runbook serve: " + e));
                } catch (IOException again) {
                  log.accept("cannot record the failure of alert " + key + ": " + again);
                }
              });
      metrics.run("error");
    } catch (RuntimeException again) {
      log.accept("cannot record the failure of alert " + key + ": " + again);
    }
  }

  private Done plan(AlertRecord record) throws IOException {
    try {
      Plan plan = engine.plan(engine.runbook(record.runbook()), record.values(), Map.of());
      String text =
          "plan only (trigger policy plan): "
              + plan.steps().size()
              + " steps planned, nothing ran ("
              + "runbook run "
              + record.runbook()
              + " --dry-run shows them)";
      queue.update(record.ended(AlertRecord.State.PLANNED, "planned", text));
      metrics.run("planned");
      tell("alert " + record.alarm() + " (" + record.key() + "): " + text);
    } catch (Refused e) {
      queue.update(record.ended(AlertRecord.State.REJECTED, null, e.getMessage()));
      metrics.rejected();
    }
    return Done.DONE;
  }

  /** A run paused or ended: said on the server's console and to the notice webhook alike. */
  private void tell(String notice) {
    log.accept(notice);
    notifier.send("runbook: " + notice);
  }

  private Done refused(AlertRecord record, Refused e) throws IOException {
    if (e.reason() == Refused.Reason.LOCK_HELD) {
      // The runbook's lock: another run works on the same target. Wait without a worker.
      queue.update(record.with(AlertRecord.State.QUEUED));
      return Done.RETRY_LATER;
    }
    queue.update(record.ended(AlertRecord.State.REJECTED, null, e.getMessage()));
    metrics.rejected();
    log.accept("alert " + record.key() + " was not run: " + e.getMessage());
    return Done.DONE;
  }

  private void ended(Watch watch, RunResult result) throws IOException {
    AlertRecord record = watch.record;
    String run =
        "run " + result.runId() + " of " + record.runbook() + " (alert " + record.alarm() + ")";
    if (result.paused()) {
      queue.update(record.ended(AlertRecord.State.PAUSED, "paused", result.message()));
      metrics.run("paused");
      String step = StepPath.id(result.pausedAt());
      boolean approval = watch.paused != null && watch.paused.forApproval();
      tell(
          run
              + (approval
                  ? " waits for a person to approve its first change, step '" + step + "'"
                  : " waits at step '" + step + "'")
              + ": "
              + result.message()
              + (approval
                  ? " Approve: runbook approve " + result.runId() + approveHint
                  : " Answer: runbook answer "
                      + result.runId()
                      + " "
                      + step
                      + "=ANSWER"
                      + approveHint
                      + (result.accepted() == null ? "" : " (ANSWER: " + result.accepted() + ")")));
      return;
    }
    String outcome = result.outcome().label();
    queue.update(record.ended(AlertRecord.State.ENDED, outcome, result.message()));
    metrics.run(outcome);
    tell(run + " ended " + outcome + (result.message() == null ? "" : ": " + result.message()));
  }

  /**
   * Follows a run: records its id in the queue as soon as the trail has it, feeds step durations to
   * the metrics, and keeps the pause it ends with (whether it waits for an approval).
   */
  private final class Watch implements RunListener {
    // Events of a foreach parallel come from its threads.
    private volatile AlertRecord record;
    private volatile AuditEvent.Paused paused;

    Watch(AlertRecord record) {
      this.record = record;
    }

    @Override
    public void event(AuditEvent event) {
      if (event instanceof AuditEvent.RunStarted started) {
        AlertRecord withRun = record.withRun(started.runId());
        try {
          queue.update(withRun);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        record = withRun;
      } else if (event instanceof AuditEvent.StepFinished finished) {
        metrics.step(finished.durationMs());
      } else if (event instanceof AuditEvent.Paused p) {
        paused = p;
      }
    }
  }

  private static Map<String, Answer> alertAnswers(AlertRecord record) {
    Map<String, Answer> answers = new LinkedHashMap<>();
    record
        .answers()
        .forEach(
            (step, value) ->
                answers.put(
                    step,
                    new Answer(
                        value,
                        "alert",
                        OPERATOR,
                        "answered by the alert (runbook trigger: answers)")));
    return answers;
  }

  static RunRequest.Operator server() {
    return new RunRequest.Operator(OPERATOR, osUser());
  }

  static String osUser() {
    return System.getProperty("user.name", "unknown");
  }
}
