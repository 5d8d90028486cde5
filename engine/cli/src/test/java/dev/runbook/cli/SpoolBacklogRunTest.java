package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Sleeper;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
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
 * The local example runbook (runbooks/examples/spool-backlog.yaml) through the real CLI and the
 * real shell: what the command line adds to a run (exit codes, the command as printed, a lock's
 * holder named, answers from a file, {@code audit list|show|verify}). Its outcomes, asserted on
 * events, are {@link SpoolBacklogExampleTest}'s.
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

  private CliRun spoolRun() {
    return CliRun.state(state).library().run("SPOOL-BACKLOG");
  }

  private Cli run(String... extra) {
    return spoolRun().param("SpoolDir", spool).param("DrainWait", "2s").with(extra).inProcess();
  }

  private Cli audit(String... words) {
    return CliRun.state(state).with("audit").with(words).inProcess();
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
  void aHostileParameterValueIsQuotedNotRun() throws IOException {
    Path pwned = tmp.resolve("pwned");
    Cli cli = spoolRun().param("SpoolDir", spool + "; touch " + pwned).inProcess();
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out())
        .contains("$ test -d \"${RB_PARAM_SpoolDir}\"")
        .contains("RB_PARAM_SpoolDir='" + spool + "; touch " + pwned + "'");
    assertThat(pwned).doesNotExist();
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
    Cli list = audit("list", "--outcome", "resolved", "--alarm", "spool-backlog");
    assertThat(list.out()).contains(runId).contains("SpoolDir=" + spool);
    Cli none = audit("list", "--outcome", "failed");
    assertThat(none.out()).doesNotContain(runId);
    Cli show = audit("show", runId);
    assertThat(show.out())
        .contains("decided int(result.stdout.trim()) == 0 = false → archive")
        .contains("because result.stdout = 1")
        .contains("$ test -d \"${RB_PARAM_SpoolDir}\"")
        .contains("RB_PARAM_SpoolDir=" + spool)
        .contains("RESOLVED: the backlog is gone");
    Cli verify = audit("verify");
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
    Cli verify = audit("verify");
    assertThat(verify.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(verify.out())
        .contains(onlyRun().runId() + "  ALTERED: line 5 ")
        .contains("1 run checked, 1 altered");
  }
}
