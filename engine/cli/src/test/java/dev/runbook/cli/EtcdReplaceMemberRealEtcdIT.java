package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.LabUser;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.etcd.EtcdCluster;
import dev.runbook.fixtures.etcd.Etcdctl;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.openshift.ControlPlaneHost;
import dev.runbook.fixtures.openshift.OpenShiftControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OCP-ETCD-REPLACE-MEMBER (OpenShift "Backup and restore" 2.2-2.4) run by the real CLI against the
 * OpenShift lab: three master hosts (real sshd hosts in their own mount namespaces, with the real
 * sudo), each running its real etcd 3.4 member as a static pod of the lab's kubelet, which mirrors
 * the pods to the Kubernetes mock fixture (read by the real kubectl as oc). One member is really
 * killed (SIGKILL). The runbook removes it by ID; the member comes back the production way: {@link
 * StaticPodOperatorsStandIn} plays the etcd Operator, which adds it and writes its manifest for the
 * node's kubelet when forceRedeploymentReason is patched (or, when it syncs returning masters, as
 * soon as the new machine is back). Every stand-in reacts 0.3 s late, so the runbook's waits are
 * exercised. Each test gets its own lab: replacing a member changes the cluster.
 */
@ExtendWith(SshLabExtension.class)
@LabUser("core") // the document's nodes are RHCOS hosts, whose login is core
class EtcdReplaceMemberRealEtcdIT {

  private static final List<String> MEMBERS = OpenShiftEtcdLab.MEMBERS;
  private static final String SICK = MEMBERS.get(0);
  private static final Duration LAG = Duration.ofMillis(300);
  private static final String ETCD_CR = "/apis/operator.openshift.io/v1/etcds/cluster";

  private OpenShiftEtcdLab lab;
  private OpenShiftControlPlane plane;
  private StaticPodOperatorsStandIn operators;
  private Path dir;

  private void setUp(
      SshLab ssh, OpenShiftEtcdObjects.Unhealthy how, boolean operatorSyncsReturningMasters)
      throws IOException {
    dir = ssh.dir();
    lab = new OpenShiftEtcdLab(dir);
    plane = OpenShiftControlPlane.start(ssh, lab.fixture(), MEMBERS, LAG);
    OpenShiftEtcdObjects.storeMasters(lab.fixture(), MEMBERS, SICK, how);
    operators =
        StaticPodOperatorsStandIn.start(lab.fixture(), plane, LAG, operatorSyncsReturningMasters);
    EtcdCluster etcd = plane.etcd();
    etcd.etcdctl().put(etcd.endpoints(), "/kubernetes.io/configmaps/ns/before", "kept");
    plane.kubelet(SICK).kill("etcd");
    Eventually.within(
        Duration.ofSeconds(10),
        "the etcd Operator to report " + SICK + " unhealthy",
        () -> lab.fixture().object(ETCD_CR).orElse("").contains(SICK + " is unhealthy"));
    lab.environment("RUNBOOK_SSH_CONFIG", plane.sshConfig().toString());
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (operators != null) {
      operators.close();
    }
    if (plane != null) {
      plane.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  private CliRun.Finished replace(String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-p", "Every=200ms",
                "-p", "MachineTimeout=30s",
                "-p", "HealthTimeout=30s",
                "-p", "WorkDir=" + dir,
                "--answer", "certificates-valid=yes",
                "--answer", "backup-taken=yes"));
    args.addAll(List.of(more));
    return lab.run("OCP-ETCD-REPLACE-MEMBER", args);
  }

  private List<String> objectRequests() {
    return lab.fixture().objectRequests().stream().map(KubeRequest::line).toList();
  }

  /** Three started members, all healthy, and the key written before the kill readable on each. */
  private void assertThreeHealthyMembersKeepTheData(String oldId) {
    EtcdCluster etcd = plane.etcd();
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
    assertThat(plane.kubelet(SICK).isRunning("etcd")).as("run by the node's kubelet").isTrue();
    assertThat(operators.failure()).isEmpty();
    MEMBERS.forEach(m -> assertThat(plane.kubelet(m).failure()).as(m).isEmpty());
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

  private void assertMachineReplaced() throws IOException {
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
    assertThat(objectRequests())
        .contains("DELETE " + OpenShiftEtcdObjects.MACHINES + "/clustername-8qw5l-master-0");
  }

  @Test
  void threeEtcdPodsAfterTheNewMachineMeanNoForcedRedeployment(SshLab ssh) throws Exception {
    setUp(ssh, OpenShiftEtcdObjects.MACHINE_STOPPED, true);
    String oldId = plane.etcd().memberIds().get(SICK);
    CompletableFuture<Void> machineApi = newMachineBecomesRunning();

    CliRun.Finished run = replace("--answer", "expect-back=no");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    machineApi.get(5, TimeUnit.SECONDS);
    assertThat(lab.finish().message())
        .isEqualTo("the unhealthy etcd member was replaced: there are exactly three members");
    assertThreeHealthyMembersKeepTheData(oldId);
    assertSecretsDeleted();
    assertMachineReplaced();
    // etcdctl ran in an etcd pod that is not on the affected node, as the document's oc rsh does.
    assertThat(lab.commands())
        .anyMatch(
            c ->
                c.matches(
                    ".* exec -n openshift-etcd etcd-("
                        + Pattern.quote(MEMBERS.get(1))
                        + "|"
                        + Pattern.quote(MEMBERS.get(2))
                        + ") -- etcdctl member remove "
                        + oldId))
        .noneMatch(c -> c.contains("exec -n openshift-etcd etcd-" + SICK));
    // The Operator synced the returning master by itself: three pods, so no redeployment forced.
    assertThat(operators.rollouts()).containsExactly("sync " + SICK);
    assertThat(objectRequests()).doesNotContain("PATCH " + ETCD_CR);
    assertThat(lab.finished("succeeded")).doesNotContain("replace-machine@1/redeploy@1");
    // The new member's pod was Pending at first: the runbook waited until it ran.
    assertThat(lab.pollAttempts("replace-machine@1/pods-running@1")).isGreaterThan(1);
  }

  @Test
  void onlyTwoEtcdPodsAfterTheNewMachineForceARedeployment(SshLab ssh) throws Exception {
    setUp(ssh, OpenShiftEtcdObjects.MACHINE_STOPPED, false);
    String oldId = plane.etcd().memberIds().get(SICK);
    CompletableFuture<Void> machineApi = newMachineBecomesRunning();

    CliRun.Finished run = replace("--answer", "expect-back=no");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    machineApi.get(5, TimeUnit.SECONDS);
    assertThat(lab.finish().message())
        .isEqualTo("the unhealthy etcd member was replaced: there are exactly three members");
    assertThreeHealthyMembersKeepTheData(oldId);
    assertSecretsDeleted();
    assertMachineReplaced();
    assertThat(objectRequests()).containsOnlyOnce("PATCH " + ETCD_CR);
    assertThat(lab.fixture().object(ETCD_CR).orElseThrow())
        .contains("\"forceRedeploymentReason\":\"recovery-20");
    assertThat(operators.rollouts()).containsExactly("etcds 3->4");
    // The member came back after the patch, with the Operator's lag: the runbook waited for it.
    assertThat(lab.pollAttempts("replace-machine@1/three-members@1")).isGreaterThan(1);
  }

  /**
   * Plays the Machine API: the deleted machine takes its node's disk with it (the etcd manifest
   * goes, so the node's kubelet drops the pod); the new machine, a little later, comes with an
   * empty disk, is announced to the etcd Operator, and its phase turns Running.
   */
  private CompletableFuture<Void> newMachineBecomesRunning() {
    ControlPlaneHost host = plane.host(SICK);
    return CompletableFuture.runAsync(
        () -> {
          try {
            Eventually.within(
                Duration.ofSeconds(50),
                "the old master machine to be deleted",
                () ->
                    lab.fixture()
                        .object(OpenShiftEtcdObjects.MACHINES + "/clustername-8qw5l-master-0")
                        .isEmpty());
            Files.deleteIfExists(host.path("/etc/kubernetes/manifests/etcd-pod.yaml"));
            Eventually.within(
                Duration.ofSeconds(10),
                "the node's kubelet to drop the old etcd pod",
                () ->
                    lab.fixture()
                        .object(OpenShiftEtcdObjects.ETCD_PODS + "/etcd-" + SICK)
                        .isEmpty());
            Eventually.within(
                Duration.ofSeconds(50),
                "the new master machine",
                () ->
                    lab.fixture()
                        .object(OpenShiftEtcdObjects.MACHINES + "/clustername-8qw5l-master-3")
                        .isPresent());
            Thread.sleep(LAG.toMillis()); // provisioning, scaled down
            deleteContents(host.path("/var/lib/etcd"));
            operators.masterReturned(SICK);
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
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void crashloopingPodIsStoppedOnItsNodeAsRootAndReplaced(SshLab ssh) throws Exception {
    setUp(ssh, OpenShiftEtcdObjects.POD_CRASHLOOPING, false);
    String oldId = plane.etcd().memberIds().get(SICK);
    ControlPlaneHost node = plane.host(SICK);
    String oldManifest = Files.readString(node.path("/etc/kubernetes/manifests/etcd-pod.yaml"));

    CliRun.Finished run = replace();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finish().message())
        .isEqualTo("the unhealthy etcd member was replaced: every member is healthy");
    // 2.4.2 step 1, as root on the node: the old manifest and data moved away by the document's
    // commands, and the Operator's new manifest in their place.
    assertThat(lab.commands())
        .containsSubsequence(
            "sudo mkdir /var/lib/etcd-backup",
            "sudo mv /etc/kubernetes/manifests/etcd-pod.yaml /var/lib/etcd-backup/",
            "sudo mv /var/lib/etcd/ /tmp");
    assertThat(lab.ranOn())
        .containsEntry(
            "replace-crashlooping@1/move-manifest@1",
            "core@" + node.server().address() + ":" + ssh.port() + " (" + SICK + ")");
    assertThat(Files.readString(node.path("/var/lib/etcd-backup/etcd-pod.yaml")))
        .isEqualTo(oldManifest);
    assertThat(node.path("/tmp/etcd/member")).isDirectory();
    assertThat(Files.readString(node.path("/etc/kubernetes/manifests/etcd-pod.yaml")))
        .contains("\"revision\" : \"4\"")
        .contains("--initial-cluster-state=existing");
    assertThreeHealthyMembersKeepTheData(oldId);
    assertSecretsDeleted();
    assertThat(lab.fixture().object(ETCD_CR).orElseThrow())
        .contains("\"forceRedeploymentReason\":\"single-master-recovery-20");
    assertThat(operators.rollouts()).containsExactly("etcds 3->4");
    assertThat(lab.pollAttempts("replace-crashlooping@1/new-member-started@1")).isGreaterThan(1);
    assertThat(objectRequests())
        .noneMatch(r -> r.startsWith("DELETE " + OpenShiftEtcdObjects.MACHINES));
  }

  private static void deleteContents(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        if (!path.equals(root)) {
          Files.delete(path);
        }
      }
    }
  }
}
