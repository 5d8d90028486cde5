package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.ChildJvm;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code kubectl:} target with {@code via:} an SSH bastion: the real kubectl runs on a real
 * OpenSSH host (on loopback, as the lab user) and talks to the Kubernetes mock fixture (fabric8's
 * CRUD mock, not a real API server). The engine, not the plugin, decides where kubectl runs.
 */
@ExtendWith(SshLabExtension.class)
class KubectlViaSshBastionIT {

  private KubernetesFixture fixture;

  @BeforeEach
  void start(SshLab lab) throws IOException {
    // The bastion's user reads the kubeconfig and keeps kubectl's cache in the lab's directory.
    Path k8s = Files.createDirectories(lab.dir().resolve("k8s"));
    Files.setPosixFilePermissions(k8s, PosixFilePermissions.fromString("rwxrwxrwx"));
    fixture = KubernetesFixture.start(k8s);
    Files.setPosixFilePermissions(
        fixture.kubeconfig(), PosixFilePermissions.fromString("rw-r--r--"));
    fixture.create(
        "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"erlclu\"}}");
    fixture.create(
        "/api/v1/namespaces/erlclu/pods",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"erlclu-0\","
            + "\"namespace\":\"erlclu\"},\"status\":{\"phase\":\"Running\"}}");
  }

  @AfterEach
  void stop() {
    fixture.close();
    System.clearProperty("runbook.ssh.knownHosts");
  }

  private Path runbooks(SshLab lab, OpenSshServer bastion) throws IOException {
    Path runbooks = Files.createDirectories(lab.dir().resolve("runbooks"));
    Files.writeString(
        runbooks.resolve("via.yaml"),
        """
        runbook: VIA
        title: kubectl on a bastion
        params:
          Kubeconfig: {type: path, required: true}
        targets:
          bastion: {ssh: "%s", port: %d, user: %s, identity: "%s"}
          cluster:
            kubectl: {kubeconfig: "${params.Kubeconfig}", context: fixture, namespace: erlclu, via: bastion}
        steps:
          - id: node-running
            on: cluster
            kubectl: {command: get pod erlclu-0, output: json}
            if: result.json.status.phase == "Running"
            yes: {end: resolved, message: erlclu-0 runs}
            no: {end: escalated, message: erlclu-0 does not run}
        """
            .formatted(bastion.address(), bastion.port(), lab.user(), lab.key("ed25519")));
    return runbooks;
  }

  /**
   * Proven where kubectl ran, not by the engine's word: the engine runs in its own JVM with a PATH
   * that holds no kubectl at all, and the bastion's sessions alone have a {@code kubectl} wrapper
   * first on their PATH, which logs {@code $SSH_CONNECTION} (and so the address the session came in
   * on) before it runs the real kubectl.
   */
  @Test
  void kubectlRunsOnTheBastionAndTheTrailSaysSo(SshLab lab) throws Exception {
    Path wrappers = Files.createDirectories(lab.dir().resolve("bastion-bin"));
    Path calls = Files.createDirectories(lab.dir().resolve("calls"));
    Files.setPosixFilePermissions(calls, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path log = calls.resolve("kubectl.log");
    Path wrapper =
        Files.writeString(
            wrappers.resolve("kubectl"),
            "#!/bin/sh\nprintf '%s|%s\\n' \"$SSH_CONNECTION\" \"$*\" >> "
                + log
                + "\nexec /usr/bin/kubectl \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    lab.setSessionEnv("PATH", wrappers + ":/usr/bin:/bin");
    OpenSshServer bastion = lab.start();
    Path runbooks = runbooks(lab, bastion);
    Path state = lab.dir().resolve("state");
    // The engine's own PATH: a directory with no kubectl in it (nor anything else).
    Path emptyBin = Files.createDirectories(lab.dir().resolve("engine-bin"));

    ChildJvm engine =
        ChildJvm.start(
            Main.class,
            lab.dir(),
            List.of(
                "--state-dir",
                state.toString(),
                "--runbooks",
                runbooks.toString(),
                "run",
                "VIA",
                "-p",
                "Kubeconfig=" + fixture.kubeconfig()),
            Map.of(
                "PATH",
                emptyBin.toString(),
                "RUNBOOK_SSH_KNOWN_HOSTS",
                lab.knownHosts().toString()));
    int exit;
    try (engine) {
      exit = engine.waitFor(Duration.ofSeconds(120));
    }
    assertThat(exit)
        .as(Files.readString(engine.stdout()) + Files.readString(engine.stderr()))
        .isZero();

    // kubectl ran once, in a session that came in on the bastion's address.
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(1);
    String[] connection = lines.get(0).split("\\|", 2)[0].split(" ");
    assertThat(connection).hasSize(4);
    assertThat(connection[2]).isEqualTo(bastion.address());
    assertThat(connection[3]).isEqualTo(String.valueOf(bastion.port()));
    assertThat(lines.get(0)).contains("get pod erlclu-0");
    assertThat(fixture.objectRequests())
        .extracting(KubeRequest::line)
        .containsExactly("GET /api/v1/namespaces/erlclu/pods/erlclu-0");
    var run = RunSummary.runs(state).get(0);
    List<AuditEvent> events = AuditTrail.read(run).events();
    assertThat(events)
        .filteredOn(
            e -> e instanceof AuditEvent.StepFinished f && f.step().equals("node-running@1"))
        .singleElement()
        .extracting(e -> ((AuditEvent.StepFinished) e).ranOn())
        .isEqualTo(lab.user() + "@" + bastion.address() + ":" + bastion.port());
    assertThat(events)
        .filteredOn(AuditEvent.CommandRendered.class::isInstance)
        .singleElement()
        .extracting(e -> ((AuditEvent.CommandRendered) e).target())
        .isEqualTo("cluster (kubectl via bastion)");
    assertThat(AuditVerifier.verify(run).ok()).isTrue();
  }

  @Test
  void aDeadBastionIsAConnectFailureAndNothingRunsHere(SshLab lab) throws Exception {
    OpenSshServer bastion = lab.start();
    System.setProperty("runbook.ssh.knownHosts", lab.knownHosts().toString());
    Path runbooks = runbooks(lab, bastion);
    bastion.kill();

    Cli cli =
        Cli.runRaw(
            "--state-dir",
            lab.dir().resolve("state").toString(),
            "--runbooks",
            runbooks.toString(),
            "run",
            "VIA",
            "-p",
            "Kubeconfig=" + fixture.kubeconfig());

    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out() + cli.err()).contains("connect");
    // Without its bastion, kubectl must not quietly run on the engine's machine instead.
    assertThat(fixture.requests()).isEmpty();
  }
}
