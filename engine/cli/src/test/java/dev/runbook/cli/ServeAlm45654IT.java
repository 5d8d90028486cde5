package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.demo.MrsHostTree;
import dev.runbook.engine.Engine;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.model.Outcome;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.LabUser;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.TestUser;
import dev.runbook.fixtures.alertmanager.Alertmanager;
import dev.runbook.server.RunbookServer;
import dev.runbook.server.ServeOptions;
import dev.runbook.server.notify.Notifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ALM-45654 started by an alert: a real Prometheus Alertmanager sends it to runbook serve, which
 * runs the runbook over SSH against real sshd hosts (the MRS tree with a certificate expiring in 10
 * days), pauses at the document's off-peak confirmation and again before generating the new
 * certificate, goes on when a person answers and approves with the real commands, asks Alertmanager
 * at step 7 whether the alarm is cleared (the test resolves the alert once the certificate is
 * renewed), and ends resolved with a trail that verifies.
 */
@ExtendWith(SshLabExtension.class)
@LabUser("omm")
class ServeAlm45654IT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private RunbookServer server;
  private Alertmanager alertmanager;

  @AfterEach
  void stop() throws Exception {
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (server != null) {
      server.close();
    }
    System.clearProperty("runbook.ssh.config");
  }

  @Test
  void anAlertRunsItPausesForAPersonAndEndsResolvedWhenAlertmanagerSaysCleared(SshLab lab)
      throws Exception {
    Alertmanager.requireInstalled();
    OpenSshServer active = lab.start();
    OpenSshServer standby = lab.start();
    Path config = lab.sshConfig(Map.of("mrs-node-1", active, "mrs-node-2", standby));
    System.setProperty("runbook.ssh.config", config.toString());
    MrsHostTree tree = MrsHostTree.create(lab.dir().resolve("Bigdata"), 10);
    TestUser.own(tree.home(), lab.user());
    Path state = lab.dir().resolve("state");

    List<String> log = new CopyOnWriteArrayList<>();
    Path amDir = lab.dir().resolve("alertmanager");
    // The server must know Alertmanager's URL and Alertmanager the server's: start the server on
    // a free port first, with Alertmanager's address taken in advance.
    int amPort = ServeChild.freeLoopbackPort();
    Engine engine =
        Engine.builder()
            .runbooks(List.of(Cli.LIBRARY))
            .stateDir(state)
            .identity(() -> "test", "test")
            .build();
    server =
        RunbookServer.start(
            engine,
            new ServeOptions(
                new InetSocketAddress("127.0.0.1", 0),
                null,
                null,
                null,
                ServeOptions.DEFAULT_MAX_BODY,
                100,
                2,
                URI.create("http://127.0.0.1:" + amPort),
                null,
                Notifier.Format.SLACK),
            log::add);
    String serverUrl = "http://127.0.0.1:" + server.address().getPort();
    alertmanager =
        Alertmanager.start(
            amDir,
            serverUrl + "/v1/alertmanager",
            server.tokenFile(),
            Duration.ofMillis(200),
            amPort);

    Map<String, String> alert =
        Map.of(
            "alertname", "ALM-45654",
            "HostName", "mrs-node-1",
            "StandbyHost", "mrs-node-2",
            "BIGDATA_HOME", tree.home().toString(),
            "ClearWait", "1s",
            "severity", "major");
    alertmanager.fire(List.of(alert));

    RunDirectory run = waitForRun(state);
    waitForPauseAt(run, "wait-for-off-peak@1");
    assertThat(started(run)).contains("show-cert-validity@1", "cert-valid-over-30-days@1");
    assertThat(started(run)).as("step 1 was answered by the alert").contains("find-alarm-host@1");

    Cli answered =
        Cli.runRaw(
            "--state-dir",
            state.toString(),
            "answer",
            run.runId(),
            "wait-for-off-peak=yes",
            "--server",
            serverUrl);
    assertThat(answered.exitCode()).as(answered.out() + answered.err()).isZero();
    waitForPauseAt(run, "regenerate-on-alarm-host@1/generate-new-cert@1");
    assertThat(tree.validForMoreThan(30)).as("nothing changed before the approval").isFalse();

    Cli approved =
        Cli.runRaw(
            "--state-dir",
            state.toString(),
            "approve",
            run.runId(),
            "--server",
            serverUrl,
            "--note",
            "off-peak now");
    assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
    assertThat(approved.out())
        .startsWith("approved step regenerate-on-alarm-host@1/generate-new-cert@1 of run ");
    Eventually.within(DEADLINE, "the certificate to be renewed", () -> tree.validForMoreThan(300));
    // The alarm clears at its source as it would in production: Prometheus stops firing it.
    alertmanager.resolve(List.of(alert));

    waitForPauseAt(run, "periodic-check@1");
    Cli last =
        Cli.runRaw(
            "--state-dir",
            state.toString(),
            "answer",
            run.runId(),
            "periodic-check=no",
            "--server",
            serverUrl);
    assertThat(last.exitCode()).as(last.out() + last.err()).isZero();
    Eventually.within(
        DEADLINE, "the run to end", () -> last(run) instanceof AuditEvent.RunFinished);

    List<AuditEvent> events = AuditTrail.read(run).events();
    assertThat(((AuditEvent.RunFinished) last(run)).outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(AuditVerifier.verify(run).problems()).isEmpty();
    AuditEvent.StepFinished asked =
        events.stream()
            .filter(
                e ->
                    e instanceof AuditEvent.StepFinished f
                        && f.step().equals("regenerate-on-alarm-host@1/ask-alarm-source@1"))
            .map(AuditEvent.StepFinished.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(asked.result())
        .containsEntry("known", true)
        .containsEntry("cleared", true)
        .containsEntry("source", "alertmanager http://127.0.0.1:" + amPort);
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.Answered a && a.approval())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(((AuditEvent.Answered) e).operator()).isEqualTo(Runs.operator());
              assertThat(((AuditEvent.Answered) e).note()).startsWith("off-peak now");
            });
    assertThat(events)
        .noneMatch(e -> e instanceof AuditEvent.StepStarted s && s.step().contains("standby"));
    assertThat(events)
        .filteredOn(AuditEvent.StepStarted.class::isInstance)
        .extracting(e -> ((AuditEvent.StepStarted) e).step())
        .as("the certificate rule was not needed: the alarm source answered")
        .doesNotContain("regenerate-on-alarm-host@1/alarm-cleared@1");
    assertThat(RunSummary.runs(state)).hasSize(1);

    Cli shown = Cli.runRaw("--state-dir", state.toString(), "audit", "show", run.runId());
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out())
        .contains("started by runbook-serve")
        .contains("alert ALM-45654 from alertmanager (")
        .containsPattern("labels .*HostName=mrs-node-1")
        .contains(Runs.operator() + " APPROVED the run's first change, via api (off-peak now");
  }

  private static RunDirectory waitForRun(Path state) throws Exception {
    Eventually.within(
        DEADLINE,
        "Alertmanager's notification to start a run",
        () -> {
          try {
            return !RunSummary.runs(state).isEmpty();
          } catch (IOException e) {
            return false;
          }
        });
    return RunSummary.runs(state).get(0);
  }

  private static AuditEvent last(RunDirectory run) {
    try {
      List<AuditEvent> events = AuditTrail.read(run).events();
      return events.isEmpty() ? null : events.get(events.size() - 1);
    } catch (IOException e) {
      return null;
    }
  }

  private static void waitForPauseAt(RunDirectory run, String step) {
    Eventually.within(
        DEADLINE,
        "the run to pause at " + step,
        () ->
            Optional.ofNullable(last(run))
                .map(e -> e instanceof AuditEvent.Paused p && p.step().equals(step))
                .orElse(false));
  }

  private static List<String> started(RunDirectory run) throws IOException {
    return AuditTrail.read(run).events().stream()
        .filter(AuditEvent.StepStarted.class::isInstance)
        .map(e -> ((AuditEvent.StepStarted) e).step())
        .toList();
  }
}
