package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.demo.MrsHostTree;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.LabUser;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.TestUser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ALM-45654 (Flink HA certificate is about to expire) run for real through the CLI, over SSH to two
 * real sshd hosts (mrs-node-1 active, mrs-node-2 standby) whose MRS tree holds a certificate
 * expiring in 10 days and a renewal script that really re-issues it. One test per outcome.
 */
@ExtendWith(SshLabExtension.class)
@LabUser("omm") // the document: "Log in to the host for which the alarm is generated as user omm"
class Alm45654EndToEndIT {

  private SshLab lab;
  private OpenSshServer active;
  private MrsHostTree tree;
  private Path state;

  private void setUp(SshLab lab, int daysLeft) throws IOException {
    this.lab = lab;
    active = lab.start();
    OpenSshServer standby = lab.start();
    Path config = lab.sshConfig(Map.of("mrs-node-1", active, "mrs-node-2", standby));
    System.setProperty("runbook.ssh.config", config.toString());
    tree = MrsHostTree.create(lab.dir().resolve("Bigdata"), daysLeft);
    TestUser.own(tree.home(), lab.user());
    state = lab.dir().resolve("state");
  }

  @AfterEach
  void forgetSshConfig() {
    System.clearProperty("runbook.ssh.config");
  }

  private Cli run(String... answers) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--state-dir",
                state.toString(),
                "--runbooks",
                Cli.LIBRARY.toString(),
                "run",
                "ALM-45654",
                "-p",
                "HostName=mrs-node-1",
                "-p",
                "StandbyHost=mrs-node-2",
                "-p",
                "BIGDATA_HOME=" + tree.home(),
                "-p",
                "ClearWait=1s",
                "--answer",
                "find-alarm-host=yes",
                "--answer",
                "wait-for-off-peak=yes"));
    for (String answer : answers) {
      args.addAll(List.of("--answer", answer));
    }
    return Cli.runRaw(args.toArray(String[]::new));
  }

  private List<AuditEvent> trail() throws IOException {
    List<RunDirectory> runs = RunSummary.runs(state);
    assertThat(runs).hasSize(1);
    assertThat(AuditVerifier.verify(runs.get(0)).problems()).isEmpty();
    return AuditTrail.read(runs.get(0)).events();
  }

  private static List<String> finished(List<AuditEvent> events, String status) {
    return events.stream()
        .filter(e -> e instanceof AuditEvent.StepFinished f && f.status().label().equals(status))
        .map(e -> ((AuditEvent.StepFinished) e).step())
        .toList();
  }

  @Test
  void renewedOnTheActiveNodeAndClearedIsResolved(SshLab lab) throws IOException {
    setUp(lab, 10);
    assertThat(tree.validForMoreThan(30)).isFalse();
    Cli cli = run("periodic-check=no");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(tree.validForMoreThan(300)).as("the certificate was really re-issued").isTrue();
    assertThat(cli.out())
        .contains("regenerate-on-alarm-host@1/generate-new-cert@1")
        .contains(
            "│ Generated a new HA certificate on " + active.address() + ", valid for 365 days.")
        .contains("RESOLVED: No further action is required.");
    List<AuditEvent> events = trail();
    assertThat(finished(events, "failed")).isEmpty();
    assertThat(events)
        .filteredOn(
            e -> e instanceof AuditEvent.StepFinished f && f.step().equals("show-cert-validity@1"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(((AuditEvent.StepFinished) e).ranOn())
                    .isEqualTo("omm@" + active.address() + ":" + active.port() + " (mrs-node-1)"));
    assertThat(events)
        .noneMatch(
            e ->
                e instanceof AuditEvent.StepStarted s
                    && s.step().startsWith("regenerate-on-standby"));
  }

  @Test
  void activeRenewalFailsStandbySucceedsIsResolved(SshLab lab) throws IOException {
    setUp(lab, 10);
    tree.failRenewalOn(active.address());
    Cli cli = run("periodic-check=no");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(tree.validForMoreThan(300)).isTrue();
    List<AuditEvent> events = trail();
    assertThat(finished(events, "failed"))
        .containsExactly("regenerate-on-alarm-host@1/generate-new-cert@1");
    assertThat(finished(events, "succeeded"))
        .contains("regenerate-on-standby@1/generate-new-cert@1");
    assertThat(cli.out()).contains("failed to generate the HA certificate on " + active.address());
  }

  @Test
  void bothRenewalsFailSoLogsAreCollectedAndTheAlarmEscalated(SshLab lab) throws IOException {
    setUp(lab, 10);
    tree.failRenewalOn(active.address());
    tree.failRenewalOn(lab.servers().get(1).address());
    Cli cli =
        run(
            "open-log-download=yes",
            "select-flink-logs=yes",
            "download-logs=yes",
            "contact-om=yes");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(tree.validForMoreThan(30)).isFalse();
    List<AuditEvent> events = trail();
    assertThat(events)
        .filteredOn(AuditEvent.Answered.class::isInstance)
        .extracting(e -> ((AuditEvent.Answered) e).step())
        .contains("open-log-download@1", "select-flink-logs@1", "download-logs@1", "contact-om@1");
    assertThat(events)
        .noneMatch(
            e -> e instanceof AuditEvent.StepStarted s && s.step().startsWith("periodic-check"));
  }

  @Test
  void theAlarmComingBackDuringThePeriodicCheckIsEscalated(SshLab lab) throws IOException {
    setUp(lab, 10);
    Cli cli =
        run(
            "periodic-check=yes",
            "open-log-download=yes",
            "select-flink-logs=yes",
            "download-logs=yes",
            "contact-om=yes");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(trail())
        .contains(
            new AuditEvent.Answered(
                "periodic-check@1",
                "Is this alarm (ALM-45654) generated again during the periodic system check?",
                "yes",
                Runs.operator(),
                "--answer",
                null,
                Runs.osUser()));
  }

  @Test
  void aCertificateStillValidSkipsRenewal(SshLab lab) throws IOException {
    setUp(lab, 200);
    Cli cli = run("periodic-check=no");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(trail())
        .noneMatch(
            e -> e instanceof AuditEvent.StepStarted s && s.step().contains("generate-new-cert"));
  }
}
