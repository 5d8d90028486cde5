package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.LabUser;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.TestUser;
import dev.runbook.fixtures.etcd.EtcdCluster;
import dev.runbook.fixtures.etcd.Etcdctl;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OCP-ETCD-REPLACE-MEMBER (OpenShift "Backup and restore" 2.2-2.4) run by the real CLI: etcdctl
 * against a real 3-member etcd 3.4 cluster on loopback with one member really killed (SIGKILL), oc
 * (the real kubectl) against the Kubernetes mock fixture whose machines, nodes and pods decide the
 * branch of 2.3, and the crashlooping node's commands over SSH to a real sshd. The member is really
 * removed by ID and, standing in for the etcd Operator, added back and started with
 * --initial-cluster-state existing.
 */
@ExtendWith(SshLabExtension.class)
@LabUser("core") // the document's nodes are RHCOS hosts, whose login is core
class EtcdReplaceMemberRealEtcdIT {

  private static final List<String> MEMBERS =
      List.of(
          "ip-10-0-131-183.ec2.internal",
          "ip-10-0-164-97.ec2.internal",
          "ip-10-0-154-204.ec2.internal");
  private static final String SICK = MEMBERS.get(0);

  private EtcdCluster etcd;
  private OpenShiftEtcdLab lab;
  private Path dir;

  private void setUp(SshLab ssh, OpenShiftEtcdObjects.Unhealthy how, boolean kill)
      throws IOException {
    // Under the SSH lab's directory, which the login user can reach (a JUnit @TempDir is 0700).
    dir = ssh.dir();
    etcd = EtcdCluster.start(dir, MEMBERS);
    lab = new OpenShiftEtcdLab(dir);
    OpenShiftEtcdObjects.store(lab.fixture(), MEMBERS, kill ? SICK : null, how);
    etcd.etcdctl().put(etcd.endpoints(), "/kubernetes.io/configmaps/ns/before", "kept");
    if (kill) {
      etcd.kill(SICK);
    }
    OpenSshServer node = ssh.start();
    lab.environment("RUNBOOK_SSH_CONFIG", ssh.sshConfig(Map.of(SICK, node)).toString());
  }

  @AfterEach
  void stop() {
    if (lab != null) {
      lab.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private OpenShiftEtcdLab.Run replace(String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-p", "Endpoints=" + etcd.endpoints(),
                "-p", "EtcdctlTimeout=1s",
                "-p", "Every=200ms",
                "-p", "MachineTimeout=30s",
                "-p", "HealthTimeout=30s",
                "-p", "WorkDir=" + dir,
                "-p", "AddMemberBack=true",
                "-p", "StartMember=" + etcd.startExistingScript(SICK)));
    args.addAll(List.of(more));
    return lab.run("OCP-ETCD-REPLACE-MEMBER", args);
  }

  private List<String> objectRequests() {
    return lab.fixture().objectRequests().stream().map(KubeRequest::line).toList();
  }

  /** Three started members, all healthy, and the key written before the kill readable on each. */
  private void assertThreeHealthyMembersKeepTheData(String oldId) {
    Map<String, String> ids = etcd.memberIds();
    assertThat(ids).containsOnlyKeys(MEMBERS);
    assertThat(ids.get(SICK)).as("a new member, not the removed one").isNotEqualTo(oldId);
    Etcdctl.Result health = etcd.etcdctl().run(etcd.endpoints(), "endpoint", "health", "--cluster");
    assertThat(health.exitCode()).as(health.stdout() + health.stderr()).isZero();
    for (String member : MEMBERS) {
      assertThat(
              etcd.etcdctl()
                  .get(etcd.member(member).clientUrl(), "/kubernetes.io/configmaps/ns/before"))
          .isEqualTo("kept");
    }
  }

  private void assertSecretsDeleted() {
    for (String prefix : List.of("etcd-peer-", "etcd-serving-", "etcd-serving-metrics-")) {
      assertThat(lab.fixture().object(OpenShiftEtcdObjects.ETCD_SECRETS + "/" + prefix + SICK))
          .as(prefix + SICK)
          .isEmpty();
    }
    assertThat(
            lab.fixture()
                .object(OpenShiftEtcdObjects.ETCD_SECRETS + "/etcd-peer-" + MEMBERS.get(1)))
        .isPresent();
  }

  @Test
  void machineNotRunningIsReplacedThroughTheMachineApi(SshLab ssh) throws Exception {
    setUp(ssh, OpenShiftEtcdObjects.MACHINE_STOPPED, true);
    String oldId = etcd.memberIds().get(SICK);
    CompletableFuture<Void> machineApi = newMachineBecomesRunning();

    OpenShiftEtcdLab.Run run = replace("--answer", "expect-back=no");

    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.OK);
    machineApi.get(5, TimeUnit.SECONDS);
    assertThat(lab.finish().message())
        .isEqualTo("the unhealthy etcd member was replaced: there are exactly three members");
    assertThreeHealthyMembersKeepTheData(oldId);
    assertSecretsDeleted();
    assertThat(lab.fixture().object(OpenShiftEtcdObjects.MACHINES + "/clustername-8qw5l-master-0"))
        .isEmpty();
    String created =
        lab.fixture()
            .object(OpenShiftEtcdObjects.MACHINES + "/clustername-8qw5l-master-3")
            .orElseThrow();
    assertThat(created).doesNotContain("providerID").doesNotContain("instance-state");
    assertThat(Files.readString(dir.resolve("new-master-machine.yaml")))
        .contains("\"name\": \"clustername-8qw5l-master-3\"")
        .doesNotContain("\"status\"");
    assertThat(lab.commands())
        .anyMatch(c -> c.endsWith("member remove " + oldId))
        .anyMatch(
            c -> c.contains("member add " + SICK + " --peer-urls=" + etcd.member(SICK).peerUrl()));
    assertThat(objectRequests())
        .contains(
            "DELETE " + OpenShiftEtcdObjects.MACHINES + "/clustername-8qw5l-master-0",
            "PATCH /apis/operator.openshift.io/v1/etcds/cluster");
    assertThat(lab.fixture().object("/apis/operator.openshift.io/v1/etcds/cluster").orElseThrow())
        .contains("\"forceRedeploymentReason\":\"recovery-20");
  }

  /**
   * Plays the Machine API: when the new machine appears, it gets a new (empty) disk, so the old
   * member's data is gone, and its phase turns Running.
   */
  private CompletableFuture<Void> newMachineBecomesRunning() {
    return CompletableFuture.runAsync(
        () -> {
          Eventually.within(
              Duration.ofSeconds(50),
              "the new master machine",
              () ->
                  lab.fixture()
                      .object(OpenShiftEtcdObjects.MACHINES + "/clustername-8qw5l-master-3")
                      .isPresent());
          try {
            deleteTree(etcd.member(SICK).dataDir());
            lab.kubectl(
                "patch",
                "machine",
                "clustername-8qw5l-master-3",
                "-n",
                "openshift-machine-api",
                "--subresource=status",
                "--type=merge",
                "-p",
                "{\"status\":{\"phase\":\"Running\"}}");
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void crashloopingPodIsStoppedOnItsNodeAndReplaced(SshLab ssh) throws Exception {
    setUp(ssh, OpenShiftEtcdObjects.POD_CRASHLOOPING, true);
    String oldId = etcd.memberIds().get(SICK);
    Path manifests = Files.createDirectories(dir.resolve("node/etc/kubernetes/manifests"));
    Files.writeString(manifests.resolve("etcd-pod.yaml"), "kind: Pod\n");
    Path varLib = Files.createDirectories(dir.resolve("node/var/lib"));
    Path oldData = Files.createDirectories(dir.resolve("node/tmp"));
    TestUser.own(dir.resolve("node"), ssh.user());
    // The member's data dir, written by etcd as root, moved by the node's login.
    TestUser.own(etcd.member(SICK).dataDir().getParent(), ssh.user());

    OpenShiftEtcdLab.Run run =
        replace(
            "-p", "ManifestDir=" + manifests,
            "-p", "EtcdDataDir=" + etcd.member(SICK).dataDir(),
            "-p", "EtcdBackupDir=" + varLib.resolve("etcd-backup"),
            "-p", "OldDataDir=" + oldData);

    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finish().message())
        .isEqualTo("the unhealthy etcd member was replaced: every member is healthy");
    assertThat(varLib.resolve("etcd-backup/etcd-pod.yaml")).exists();
    assertThat(manifests.resolve("etcd-pod.yaml")).doesNotExist();
    assertThat(oldData.resolve(etcd.member(SICK).dataDir().getFileName()).resolve("member"))
        .isDirectory();
    assertThreeHealthyMembersKeepTheData(oldId);
    assertSecretsDeleted();
    assertThat(lab.trail())
        .filteredOn(
            e ->
                e instanceof dev.runbook.engine.audit.AuditEvent.StepFinished f
                    && f.step().endsWith("stop-pod@1"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(((dev.runbook.engine.audit.AuditEvent.StepFinished) e).ranOn())
                    .contains("core@"));
    assertThat(lab.fixture().object("/apis/operator.openshift.io/v1/etcds/cluster").orElseThrow())
        .contains("\"forceRedeploymentReason\":\"single-master-recovery-20");
    assertThat(objectRequests())
        .noneMatch(r -> r.startsWith("DELETE " + OpenShiftEtcdObjects.MACHINES));
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
