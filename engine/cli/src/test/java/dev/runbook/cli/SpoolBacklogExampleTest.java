package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Refused;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.EngineTestKit;
import dev.runbook.testkit.Execution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local example runbook (runbooks/examples/spool-backlog.yaml: a check, a parallel fan-out over
 * a procedure, a poll, a question, a manual step, a lock) run in-process with the real plugins (its
 * commands on the real shell, against a real spool directory) to each of its outcomes, asserted on
 * the trail. Waits are in the testkit's fake time. What the command line adds (exit codes, what it
 * prints, answers files, {@code audit}) is {@link SpoolBacklogRunTest}'s.
 */
class SpoolBacklogExampleTest {

  @TempDir Path tmp;
  private Path spool;
  private EngineTestKit kit;

  @BeforeEach
  void spool() throws IOException {
    spool = tmp.resolve("spool");
    Files.createDirectories(spool.resolve("in"));
    Files.createDirectories(spool.resolve("out"));
    kit = EngineTestKit.in(tmp.resolve("kit")).library(Cli.LIBRARY);
  }

  private void message(String queue, String name, boolean stale) throws IOException {
    Path file = Files.writeString(spool.resolve(queue).resolve(name), "payload");
    if (stale) {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    }
  }

  private EngineTestKit.RunCall run() {
    return kit.run("SPOOL-BACKLOG").param("SpoolDir", spool.toString()).param("DrainWait", "2s");
  }

  @Test
  void resolvedWhenStaleMessagesAreArchivedAndTheInboxDrains() throws Exception {
    message("in", "1.msg", true);
    message("in", "2.msg", true);
    message("out", "a.msg", true);

    Execution run = run().execute();

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(run.result().message()).isEqualTo("the backlog is gone");
    assertThat(spool.resolve("archive/in/1.msg")).exists();
    assertThat(spool.resolve("archive/out/a.msg")).exists();
    assertThat(spool.resolve("in/1.msg")).doesNotExist();
    assertThat(run.trailProblems()).isEmpty();
    assertThat(run.events(AuditEvent.Decision.class))
        .anySatisfy(
            d -> {
              assertThat(d.step()).isEqualTo("archive-all@1[0]/count@1");
              assertThat(d.values()).containsEntry("result.stdout", "2");
              assertThat(d.branch()).isEqualTo("archive");
            });
    AuditEvent last = run.events().get(run.events().size() - 1);
    assertThat(last)
        .isEqualTo(
            new AuditEvent.RunFinished(
                Outcome.RESOLVED,
                "the backlog is gone",
                ((AuditEvent.RunFinished) last).durationMs()));
  }

  @Test
  void escalatedWhenTheInboxDoesNotDrainAndNobodyRestartsTheConsumer() throws Exception {
    message("in", "fresh.msg", false);

    Execution run = run().answer("restart-consumer", "no").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.ESCALATED);
    assertThat(run.result().message()).isEqualTo("handed to the queue's owners");
    assertThat(spool.resolve("in/fresh.msg")).exists();
    assertThat(run.events())
        .contains(
            new AuditEvent.Answered(
                "restart-consumer@1",
                "The inbox of " + spool + " did not drain. Restart the consumer now?",
                "no",
                kit.operator(),
                EngineTestKit.VIA,
                null,
                "tester"));
    // The poll watched the inbox for its whole DrainWait: an attempt at 0 s and at 1 s.
    assertThat(run.events(AuditEvent.WaitProgress.class))
        .extracting(AuditEvent.WaitProgress::attempt)
        .containsExactly(1, 2);
  }

  @Test
  void failedWhenTheSpoolDirectoryIsMissing() throws Exception {
    Files.delete(spool.resolve("in"));
    Files.delete(spool.resolve("out"));
    Files.delete(spool);

    Execution run = run().execute();

    assertThat(run.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(run.result().message()).isEqualTo("no spool directory: check -p SpoolDir");
    assertThat(run.finished("spool-exists@1").exitCode()).isEqualTo(1L);
  }

  @Test
  void pausesWithoutAnAnswerThenResumesWithoutRepeatingFinishedSteps() throws Exception {
    message("in", "fresh.msg", false);
    Execution first = run().execute();
    assertThat(first.paused()).isTrue();
    assertThat(first.result().pausedAt()).isEqualTo("restart-consumer@1");
    assertThat(RunSummary.of(first.directory()).status()).isEqualTo("paused");

    Files.delete(spool.resolve("in/fresh.msg"));
    Execution resumed =
        kit.resume(first.runId().substring(0, 17))
            .answer("restart-consumer", "yes")
            .answer("do-restart", "yes")
            .execute();

    assertThat(resumed.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(resumed.heard()).noneMatch(e -> e instanceof AuditEvent.CommandRendered);
    assertThat(resumed.started()).containsOnlyOnce("spool-exists@1");
    assertThat(resumed.events(AuditEvent.Resumed.class))
        .singleElement()
        .satisfies(r -> assertThat(r.inDoubt()).isEmpty());
    assertThat(RunSummary.of(resumed.directory()).status()).isEqualTo("resolved");
    assertThat(resumed.trailProblems()).isEmpty();

    Refused again =
        Assertions.catchThrowableOfType(Refused.class, () -> kit.resume(first).execute());
    assertThat(again.getMessage()).contains("run " + first.runId() + " already finished: resolved");
  }
}
