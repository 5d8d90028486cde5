package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick summary (head and tail only) says what the full read says. */
class RunSummaryTest {

  @TempDir Path state;

  private RunDirectory trail(int steps, Consumer<AuditLog> end) throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), false)) {
      log.append(
          new AuditEvent.RunStarted(
              run.runId(),
              "R",
              "t",
              List.of("A-1"),
              "f",
              "ab".repeat(32),
              Map.of("Host", "n1"),
              null,
              "alice",
              "ops",
              "test"));
      for (int i = 0; i < steps; i++) {
        log.append(
            new AuditEvent.CommandRendered(
                "s" + i + "@1", "local", "echo " + "x".repeat(200), false));
      }
      end.accept(log);
    }
    return run;
  }

  private static void same(RunDirectory run, String status) throws IOException {
    RunSummary full = RunSummary.of(run);
    assertThat(full.status()).isEqualTo(status);
    assertThat(RunSummary.quick(run)).isEqualTo(full);
  }

  @Test
  void finishedPausedResumedAndStoppedRunsAgree() throws IOException {
    same(
        trail(3, log -> log.append(new AuditEvent.RunFinished(Outcome.ESCALATED, "to O&M", 5))),
        "escalated");
    same(
        trail(3, log -> log.append(new AuditEvent.Paused("ask@1", "Cleared?", "waiting"))),
        "paused");
    same(
        trail(
            3,
            log -> {
              log.append(new AuditEvent.Paused("ask@1", "Cleared?", "waiting"));
              log.append(new AuditEvent.Resumed("bob", "ops", "test", List.of(), null));
            }),
        "stopped");
    same(trail(3, log -> {}), "stopped");
  }

  @Test
  void longTrailsAgreeWhetherTheStatusIsInTheTailOrNot() throws IOException {
    same(
        trail(2000, log -> log.append(new AuditEvent.RunFinished(Outcome.RESOLVED, null, 5))),
        "resolved");
    // A pause followed by more than the tail window of other events: the quick read falls back.
    same(
        trail(
            2,
            log -> {
              log.append(new AuditEvent.Paused("ask@1", "Cleared?", "waiting"));
              for (int i = 0; i < 1000; i++) {
                log.append(
                    new AuditEvent.CommandRendered(
                        "late" + i + "@1", "local", "x".repeat(200), false));
              }
            }),
        "paused");
  }
}
