package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.model.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code sleep:} ends after it has asked the sleeper for the whole wait, even when the clock does
 * not move: a wait bounded only by the clock once spun for five minutes writing a 2 GB trail (a
 * no-op sleeper with the system clock, then a frozen clock here).
 */
class SleepIsBoundedTest {

  @TempDir Path tmp;

  @Test
  @Timeout(30)
  void aSleepWithAFrozenClockEndsAfterAskingForTheWholeWaitInAtMostThirteenNaps() throws Exception {
    Path books = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(
        books.resolve("wait.yaml"),
        """
        runbook: W
        title: wait an hour
        steps:
          - {id: wait, sleep: 1h}
        """);
    List<Duration> naps = new ArrayList<>();
    Engine engine =
        Engine.builder()
            .runbooks(List.of(books))
            .stateDir(tmp.resolve("state"))
            .clock(Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC))
            .sleeper(
                nap -> {
                  // Fail fast rather than spin: the old loop would never stop asking.
                  if (naps.size() >= 100) {
                    throw new AssertionError("the wait asked for more than 100 naps");
                  }
                  naps.add(nap);
                })
            .build();

    RunResult run =
        engine.run(
            new RunRequest(
                "W",
                Map.of(),
                List.of(),
                Answerer.NOBODY,
                Duration.ZERO,
                new RunRequest.Operator("tester", "tester")),
            new RunListener() {});

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(naps).hasSize(12).allSatisfy(n -> assertThat(n).isEqualTo(Duration.ofMinutes(5)));
    assertThat(
            AuditTrail.read(engine.findRun(run.runId())).events().stream()
                .filter(AuditEvent.WaitProgress.class::isInstance))
        .hasSize(12);
  }
}
