package dev.runbook.testkit;

import dev.runbook.engine.RunResult;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * What one in-process run (or resume) left: how it stopped, and its trail read back from disk
 * afterwards (every line of the run so far, earlier runs of a resumed run included), with what the
 * listener heard during this call.
 *
 * @param runId the run's id
 * @param result how the engine said the run stopped; null when it crashed ({@link SimulatedCrash})
 * @param crashed whether the engine died during the call, as a SIGKILL would leave it
 * @param directory the run's directory in the state directory
 * @param lines the trail's lines after the call, as {@code audit verify} reads them
 * @param heard the events the listener heard during this call, in order
 * @param output the output lines steps streamed during this call, as {@code STEP-PATH: LINE}
 * @param progress the progress lines during this call, as {@code STEP-PATH: TEXT}
 */
public record Execution(
    String runId,
    RunResult result,
    boolean crashed,
    RunDirectory directory,
    List<AuditTrail.Line> lines,
    List<AuditEvent> heard,
    List<String> output,
    List<String> progress) {

  public Execution {
    lines = List.copyOf(lines);
    heard = List.copyOf(heard);
    output = List.copyOf(output);
    progress = List.copyOf(progress);
  }

  /** The run's outcome; null when it paused or crashed. */
  public Outcome outcome() {
    return result == null ? null : result.outcome();
  }

  /** Whether the run paused (for a person, or stopped by an interrupt). */
  public boolean paused() {
    return result != null && result.paused();
  }

  /** The trail's events, in order. */
  public List<AuditEvent> events() {
    return lines.stream().map(AuditTrail.Line::event).toList();
  }

  /** The trail's events of one type, in order. */
  public <T extends AuditEvent> List<T> events(Class<T> type) {
    return events().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The path of every step start in the trail ({@code flaky@1} once per attempt), in order. */
  public List<String> started() {
    return events(AuditEvent.StepStarted.class).stream().map(AuditEvent.StepStarted::step).toList();
  }

  /** The step ids that started, in order, with repeats. */
  public List<String> startedIds() {
    return events(AuditEvent.StepStarted.class).stream()
        .map(AuditEvent.StepStarted::stepId)
        .toList();
  }

  /**
   * How the step at {@code path} ({@code approve@4}, {@code each@1[2]/probe@1}) finished, the last
   * time it did.
   *
   * @throws AssertionError naming the steps that did finish, when it did not
   */
  public AuditEvent.StepFinished finished(String path) {
    List<AuditEvent.StepFinished> all = events(AuditEvent.StepFinished.class);
    return all.stream()
        .filter(f -> f.step().equals(path))
        .reduce((first, second) -> second)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no step.finished for "
                        + path
                        + "; finished: "
                        + all.stream().map(AuditEvent.StepFinished::step).toList()));
  }

  /** The first event of the trail that is a {@code type} and passes {@code test}. */
  public <T extends AuditEvent> T first(Class<T> type, Predicate<T> test) {
    return events(type).stream()
        .filter(test)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no matching " + type.getSimpleName() + " event"));
  }

  /** When the trail recorded the first event that passes {@code test}. */
  public Instant timeOf(Predicate<AuditEvent> test) {
    return lines.stream()
        .filter(line -> test.test(line.event()))
        .findFirst()
        .flatMap(AuditTrail.Line::time)
        .orElseThrow(() -> new AssertionError("no matching event with a time in the trail"));
  }

  /** The trail's time between the first events that pass {@code from} and {@code to}. */
  public Duration between(Predicate<AuditEvent> from, Predicate<AuditEvent> to) {
    return Duration.between(timeOf(from), timeOf(to));
  }

  /** What {@code audit verify} finds wrong with the trail now; empty when it is whole. */
  public List<String> trailProblems() {
    try {
      return AuditVerifier.verify(directory).problems();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
