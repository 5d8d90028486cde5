package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Sleeper;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.execute.RunLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the local example runbook (runbooks/examples/spool-backlog.yaml: a check, a parallel fan-out
 * over a procedure, a poll, a question, a manual step, a lock) through the real CLI and the real
 * shell, to each of its outcomes.
 */
class SpoolBacklogRunTest {

  @TempDir Path tmp;
  private Path spool;
  private Path state;

  @BeforeEach
  void spool() throws IOException {
    spool = tmp.resolve("spool");
    state = tmp.resolve("state");
    Files.createDirectories(spool.resolve("in"));
    Files.createDirectories(spool.resolve("out"));
  }

  private void message(String queue, String name, boolean stale) throws IOException {
    Path file = Files.writeString(spool.resolve(queue).resolve(name), "payload");
    if (stale) {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    }
  }

  private Cli run(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--state-dir",
                state.toString(),
                "--runbooks",
                Cli.LIBRARY.toString(),
                "run",
                "SPOOL-BACKLOG",
                "-p",
                "SpoolDir=" + spool,
                "-p",
                "DrainWait=2s"));
    args.addAll(List.of(extra));
    return Cli.runRaw(args.toArray(String[]::new));
  }

  private RunDirectory onlyRun() throws IOException {
    List<RunDirectory> runs = RunSummary.runs(state);
    assertThat(runs).hasSize(1);
    return runs.get(0);
  }

  private List<AuditEvent> events() throws IOException {
    return AuditTrail.read(onlyRun()).events();
  }

  @Test
  void resolvedWhenStaleMessagesAreArchivedAndTheInboxDrains() throws IOException {
    message("in", "1.msg", true);
    message("in", "2.msg", true);
    message("out", "a.msg", true);
    Cli cli = run();
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains("RESOLVED: the backlog is gone");
    assertThat(spool.resolve("archive/in/1.msg")).exists();
    assertThat(spool.resolve("archive/out/a.msg")).exists();
    assertThat(spool.resolve("in/1.msg")).doesNotExist();
    assertThat(AuditVerifier.verify(onlyRun()).problems()).isEmpty();
    assertThat(events())
        .filteredOn(AuditEvent.Decision.class::isInstance)
        .map(e -> (AuditEvent.Decision) e)
        .anySatisfy(
            d -> {
              assertThat(d.step()).isEqualTo("archive-all@1[0]/count@1");
              assertThat(d.values()).containsEntry("result.stdout", "2");
              assertThat(d.branch()).isEqualTo("archive");
            });
    assertThat(events().get(events().size() - 1))
        .isEqualTo(
            new AuditEvent.RunFinished(
                dev.runbook.engine.model.Outcome.RESOLVED,
                "the backlog is gone",
                ((AuditEvent.RunFinished) events().get(events().size() - 1)).durationMs()));
  }

  @Test
  void escalatedWhenTheInboxDoesNotDrainAndNobodyRestartsTheConsumer() throws IOException {
    message("in", "fresh.msg", false);
    Cli cli = run("--answer", "restart-consumer=no");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(cli.out()).contains("ESCALATED: handed to the queue's owners");
    assertThat(spool.resolve("in/fresh.msg")).exists();
    assertThat(events())
        .contains(
            new AuditEvent.Answered(
                "restart-consumer@1",
                "The inbox of " + spool + " did not drain. Restart the consumer now?",
                "no",
                Runs.operator(),
                "--answer",
                null,
                Runs.osUser()));
    assertThat(events()).filteredOn(AuditEvent.WaitProgress.class::isInstance).isNotEmpty();
  }

  @Test
  void failedWhenTheSpoolDirectoryIsMissing() throws IOException {
    Files.delete(spool.resolve("in"));
    Files.delete(spool.resolve("out"));
    Files.delete(spool);
    Cli cli = run();
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out()).contains("FAILED: no spool directory: check -p SpoolDir");
  }

  @Test
  void aHostileParameterValueIsQuotedNotRun() throws IOException {
    Path pwned = tmp.resolve("pwned");
    Cli cli =
        Cli.runRaw(
            "--state-dir",
            state.toString(),
            "--runbooks",
            Cli.LIBRARY.toString(),
            "run",
            "SPOOL-BACKLOG",
            "-p",
            "SpoolDir=" + spool + "; touch " + pwned);
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out())
        .contains("$ test -d \"${RB_PARAM_SpoolDir}\"")
        .contains("RB_PARAM_SpoolDir='" + spool + "; touch " + pwned + "'");
    assertThat(pwned).doesNotExist();
  }

  @Test
  void pausesWithoutAnAnswerThenResumesWithoutRepeatingFinishedSteps() throws IOException {
    message("in", "fresh.msg", false);
    Cli first = run();
    assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(ExitCodes.PAUSED);
    String runId = onlyRun().runId();
    assertThat(first.err()).contains("runbook resume " + runId + " --answer restart-consumer=yes");
    assertThat(RunSummary.of(onlyRun()).status()).isEqualTo("paused");

    Files.delete(spool.resolve("in/fresh.msg"));
    Cli resumed =
        Cli.runRaw(
            "--state-dir",
            state.toString(),
            "--runbooks",
            Cli.LIBRARY.toString(),
            "resume",
            runId.substring(0, 17),
            "--answer",
            "restart-consumer=yes",
            "--answer",
            "do-restart=yes");
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.OK);
    assertThat(resumed.out()).doesNotContain("spool-exists").doesNotContain("$ find");
    List<AuditEvent> events = events();
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.StepStarted s && s.stepId().equals("spool-exists"))
        .hasSize(1);
    assertThat(events)
        .filteredOn(AuditEvent.Resumed.class::isInstance)
        .singleElement()
        .satisfies(r -> assertThat(((AuditEvent.Resumed) r).inDoubt()).isEmpty());
    assertThat(RunSummary.of(onlyRun()).status()).isEqualTo("resolved");
    assertThat(AuditVerifier.verify(onlyRun()).problems()).isEmpty();

    Cli again =
        Cli.runRaw(
            "--state-dir", state.toString(), "--runbooks", Cli.LIBRARY.toString(), "resume", runId);
    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("run " + runId + " already finished: resolved");
  }

  @Test
  void aSecondRunWithTheSameLockStopsAndNamesTheHolder() throws Exception {
    message("in", "1.msg", true);
    try (RunLock held =
        RunLock.acquire(
            state,
            "spool/" + spool,
            "run 42 by alice on ops-1",
            Duration.ZERO,
            Clock.systemUTC(),
            Sleeper.REAL)) {
      Cli cli = run();
      assertThat(cli.exitCode()).isEqualTo(ExitCodes.LOCKED);
      assertThat(cli.err())
          .isEqualTo(
              "runbook: lock 'spool/"
                  + spool
                  + "' is held by run 42 by alice on ops-1;"
                  + " wait for it to finish, or give --wait-lock 10m to wait\n");
    }
    assertThat(run().exitCode()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void auditListFiltersAndShowExplainsEachDecision() throws IOException {
    message("in", "1.msg", true);
    assertThat(run().exitCode()).isZero();
    String runId = onlyRun().runId();
    Cli list =
        Cli.runRaw(
            "--state-dir",
            state.toString(),
            "audit",
            "list",
            "--outcome",
            "resolved",
            "--alarm",
            "spool-backlog");
    assertThat(list.out()).contains(runId).contains("SpoolDir=" + spool);
    Cli none = Cli.runRaw("--state-dir", state.toString(), "audit", "list", "--outcome", "failed");
    assertThat(none.out()).doesNotContain(runId);
    Cli show = Cli.runRaw("--state-dir", state.toString(), "audit", "show", runId);
    assertThat(show.out())
        .contains("decided int(result.stdout.trim()) == 0 = false → archive")
        .contains("because result.stdout = 1")
        .contains("$ test -d \"${RB_PARAM_SpoolDir}\"")
        .contains("RB_PARAM_SpoolDir=" + spool)
        .contains("RESOLVED: the backlog is gone");
    Cli verify = Cli.runRaw("--state-dir", state.toString(), "audit", "verify");
    assertThat(verify.exitCode()).isZero();
    assertThat(verify.out()).contains(runId + "  ok (").contains("1 run checked, 0 altered");
  }

  @Test
  void answersCanComeFromAFile() throws IOException {
    message("in", "fresh.msg", false);
    Path answers = Files.writeString(tmp.resolve("answers.yaml"), "restart-consumer: no\n");
    Cli cli = run("--answers-file", answers.toString());
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(events())
        .filteredOn(AuditEvent.Answered.class::isInstance)
        .singleElement()
        .satisfies(e -> assertThat(((AuditEvent.Answered) e).via()).isEqualTo("answers-file"));
  }

  @Test
  void auditVerifyExitsEightAndNamesTheFirstAlteredLine() throws IOException {
    message("in", "1.msg", true);
    assertThat(run().exitCode()).isZero();
    Path events = onlyRun().events();
    List<String> lines = new ArrayList<>(Files.readAllLines(events));
    lines.set(4, lines.get(4).replace("\"stepId\"", "\"stepID\""));
    Files.writeString(events, String.join("\n", lines) + "\n");
    Cli verify = Cli.runRaw("--state-dir", state.toString(), "audit", "verify");
    assertThat(verify.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(verify.out())
        .contains(onlyRun().runId() + "  ALTERED: line 5 ")
        .contains("1 run checked, 1 altered");
  }
}
