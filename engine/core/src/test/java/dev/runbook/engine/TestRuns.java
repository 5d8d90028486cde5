package dev.runbook.engine;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.TrailMirror;
import dev.runbook.engine.execute.RunEngine;
import dev.runbook.engine.execute.RunOptions;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.library.Inventory;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs runbooks in-process for engine-core tests, with the FAKE command plugin ({@link
 * TestRunbooks#PLUGIN}: it runs nothing and records each request) and answers given by step id.
 */
public final class TestRuns {

  private static final Expressions EXPRESSIONS = new Expressions();

  /** How a run ended, its trail's events, and what it said while waiting. */
  public record Finished(
      RunResult result, List<AuditEvent> events, RunDirectory dir, List<String> progress) {

    public <T extends AuditEvent> List<T> events(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  private TestRuns() {}

  /** Answers by step id, as a person would type them; a step without one gets none. */
  public static Answerer answers(Map<String, String> byStep) {
    return question ->
        Optional.ofNullable(byStep.get(question.stepId()))
            .map(value -> new Answer(Answer.normalize(value, question), "test", "tester", null));
  }

  public static Finished run(
      Path state, Runbook runbook, Map<String, String> params, Answerer answerer) {
    return run(state, runbook, params, answerer, null);
  }

  /** As {@link #run(Path, Runbook, Map, Answerer)}, copying the trail to {@code mirror}. */
  public static Finished run(
      Path state,
      Runbook runbook,
      Map<String, String> params,
      Answerer answerer,
      TrailMirror mirror) {
    List<String> progress = new CopyOnWriteArrayList<>();
    try {
      RunResult result =
          new RunEngine(TestRunbooks.REGISTRY, EXPRESSIONS)
              .start(runbook, params, options(state, answerer, mirror), listener(progress));
      return finished(state, result, progress);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public static Finished resume(
      Path state, Runbook runbook, String runId, Map<String, String> params, Answerer answerer) {
    return resume(state, runbook, runId, params, answerer, null);
  }

  /**
   * As {@link #resume(Path, Runbook, String, Map, Answerer)}, copying the trail to {@code mirror}.
   */
  public static Finished resume(
      Path state,
      Runbook runbook,
      String runId,
      Map<String, String> params,
      Answerer answerer,
      TrailMirror mirror) {
    List<String> progress = new CopyOnWriteArrayList<>();
    try {
      RunResult result =
          new RunEngine(TestRunbooks.REGISTRY, EXPRESSIONS)
              .resume(
                  runbook,
                  RunDirectory.find(state, runId),
                  params,
                  options(state, answerer, mirror),
                  listener(progress),
                  false);
      return finished(state, result, progress);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static RunListener listener(List<String> progress) {
    return new RunListener() {
      @Override
      public void progress(String step, String text) {
        progress.add(step + ": " + text);
      }
    };
  }

  private static RunOptions options(Path state, Answerer answerer, TrailMirror mirror) {
    return new RunOptions(
        state,
        "tester",
        "tester",
        "test-machine",
        "test",
        Clock.systemUTC(),
        duration -> {},
        answerer,
        Duration.ZERO,
        false,
        Inventory.EMPTY,
        RunRequest.Approval.NONE,
        null,
        mirror);
  }

  private static Finished finished(Path state, RunResult result, List<String> progress)
      throws IOException {
    RunDirectory dir = RunDirectory.find(state, result.runId());
    return new Finished(result, AuditTrail.read(dir).events(), dir, List.copyOf(progress));
  }
}
