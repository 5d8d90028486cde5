package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.fixtures.LabUser;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.TestUser;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.fixtures.kubernetes.KubernetesFixtureExtension;
import dev.runbook.fixtures.openshift.OcStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OCP-CLUSTER-SHUTDOWN (OpenShift "Shutting down the cluster gracefully", chapter 3) run by the
 * real CLI: the node list comes from the real kubectl against the Kubernetes mock fixture, and each
 * node is a real sshd on loopback that the runbook logs in to as {@code core}, as the document
 * does. No machine is shut down: the test puts a {@code sudo} stand-in first on the nodes' PATH
 * that records where it ran, with which arguments, and when it began and ended (it takes 0.3 s).
 */
@ExtendWith({SshLabExtension.class, KubernetesFixtureExtension.class})
@LabUser("core") // the document: "ssh core@$node sudo shutdown -h 1"
class ClusterShutdownAgainstKubernetesMockFixtureIT {

  private static final List<String> NODES = List.of("master-0", "master-1", "worker-0");

  private KubernetesFixture fixture;
  private FixtureRunner runner;
  private Path sudoLog;
  private final Map<String, OpenSshServer> hosts = new LinkedHashMap<>();

  private void setUp(SshLab lab, KubernetesFixture fixture) throws IOException {
    this.fixture = fixture;
    Path bin = Files.createDirectories(lab.dir().resolve("node-bin"));
    Path records = Files.createDirectories(lab.dir().resolve("records"));
    sudoLog = records.resolve("sudo.log");
    Path sudo = bin.resolve("sudo");
    // $SSH_CONNECTION's third word is the address the session came in on: which node ran it.
    // It takes a moment (0.3 s), as scheduling a real shutdown does, and logs when it began and
    // ended, so the test sees whether the nodes were told one after the other.
    Files.writeString(
        sudo,
        "#!/bin/sh\n"
            + "set -- $(echo \"$SSH_CONNECTION\" | cut -d' ' -f3) \"$@\"\n"
            + "echo \"begin $*\" >> "
            + sudoLog
            + "\n"
            + "sleep 0.3\n"
            + "echo \"end $1\" >> "
            + sudoLog
            + "\n");
    Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
    TestUser.own(records, lab.user());
    lab.setSessionEnv("PATH", bin + ":/usr/bin:/bin");
    for (String node : NODES) {
      hosts.put(node, lab.start());
    }
    for (String node : NODES) {
      fixture.create(
          "/api/v1/nodes",
          "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + node + "\"}}");
    }
    runner =
        FixtureRunner.in(
            lab.dir(),
            fixture,
            Map.of(
                "RUNBOOK_SSH_CONFIG",
                lab.sshConfig(hosts).toString(),
                "PATH",
                OcStandIn.path(lab.dir())));
  }

  private CliRun.Finished shutDown(String backupTaken) throws Exception {
    return runner.finish(
        runner
            .command("OCP-CLUSTER-SHUTDOWN")
            .answer("etcd-backup-taken", backupTaken)
            .answer("shut-off-dependencies", "yes"));
  }

  @Test
  void everyNodeListedIsToldToShutDownOverSshOneAfterTheOther(SshLab lab, KubernetesFixture fixture)
      throws Exception {
    setUp(lab, fixture);

    CliRun.Finished run = shutDown("yes");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    // One after the other: each node's shutdown command had ended before the next one began.
    List<String> expected = new ArrayList<>();
    for (String node : NODES) {
      expected.add("begin " + hosts.get(node).address() + " shutdown -h 1");
      expected.add("end " + hosts.get(node).address());
    }
    assertThat(Files.readAllLines(sudoLog)).containsExactlyElementsOf(expected);
    assertThat(fixture.objectRequests())
        .extracting(KubeRequest::line)
        .containsExactly("GET /api/v1/nodes");
    List<AuditEvent> trail = runner.verifiedTrail();
    assertThat(trail)
        .filteredOn(
            e ->
                e instanceof AuditEvent.StepFinished f
                    && f.step().endsWith("shutdown-in-1-minute@1"))
        .extracting(e -> ((AuditEvent.StepFinished) e).ranOn())
        .containsExactly(
            "core@" + hosts.get("master-0").address() + ":" + lab.port() + " (master-0)",
            "core@" + hosts.get("master-1").address() + ":" + lab.port() + " (master-1)",
            "core@" + hosts.get("worker-0").address() + ":" + lab.port() + " (worker-0)");
    assertThat(FixtureRunner.started(trail)).contains("shut-off-dependencies@1");
  }

  @Test
  void withoutAnEtcdBackupNoNodeIsTouched(SshLab lab, KubernetesFixture fixture) throws Exception {
    setUp(lab, fixture);

    CliRun.Finished run = shutDown("no");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("take an etcd backup (chapter 1)");
    assertThat(sudoLog).doesNotExist();
    assertThat(fixture.requests()).isEmpty();
    runner.verifiedTrail();
  }

  @Test
  void theDryRunShowsTheNodeListAndTheShutdownCommand(SshLab lab, KubernetesFixture fixture)
      throws Exception {
    setUp(lab, fixture);

    Cli cli =
        Cli.run(
            "run", "OCP-CLUSTER-SHUTDOWN", "--dry-run", "-p", "Kubeconfig=" + fixture.kubeconfig());

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("get nodes -o 'jsonpath={range .items[*]}{.metadata.name},{end}'")
        .contains("on core@<each node> (ssh)  — CHANGES the system")
        .contains("$ sudo shutdown -h 1");
    assertThat(fixture.requests()).isEmpty();
    assertThat(sudoLog).doesNotExist();
  }
}
