package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.TestUser;
import dev.runbook.fixtures.etcd.EtcdCluster;
import dev.runbook.fixtures.openshift.ControlPlaneHost;
import dev.runbook.fixtures.openshift.OpenShiftControlPlane;
import dev.runbook.fixtures.openshift.StaticPodKubelet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * OCP-ETCD-RESTORE (OpenShift "Backup and restore" 5.3.1) run by the real CLI against the OpenShift
 * lab, after OCP-ETCD-BACKUP took the backup on another master: three master hosts (real sshd hosts
 * in their own mount namespaces, logged in to as core, with the real sudo), each running its real
 * etcd 3.4 member as a static pod of the lab's kubelet, which starts and stops what the manifests
 * directory holds (0.3 s late, as a kubelet is never instant). The document's cluster-restore.sh is
 * the lab's stand-in with the Operator script's contract: it reads the backup's archive and
 * snapshot and leaves a restore-etcd manifest, so etcd comes back only if the kubelet finds it
 * there. The Operators are played by {@link StaticPodOperatorsStandIn}. oc is the real kubectl
 * against the Kubernetes mock fixture.
 *
 * <p>One lab for the class; the test that changes nothing runs first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdRestoreRealEtcdIT {

  private static final List<String> MASTERS =
      List.of(
          "ip-10-0-143-125.ec2.internal",
          "ip-10-0-154-194.ec2.internal",
          "ip-10-0-173-171.ec2.internal");
  private static final String RECOVERY = MASTERS.get(0);
  private static final List<String> OTHERS = MASTERS.subList(1, 3);
  private static final Duration LAG = Duration.ofMillis(300);

  private static SshLab ssh;
  private static OpenShiftEtcdLab lab;
  private static OpenShiftControlPlane plane;
  private static StaticPodOperatorsStandIn operators;

  @BeforeAll
  static void startLab() throws IOException {
    ssh = SshLab.create("core");
    lab = new OpenShiftEtcdLab(ssh.dir());
    plane = OpenShiftControlPlane.start(ssh, lab.fixture(), MASTERS, LAG);
    operators = StaticPodOperatorsStandIn.start(lab.fixture(), plane, LAG, false);
    lab.environment("RUNBOOK_SSH_CONFIG", plane.sshConfig().toString());
    lab.fixture()
        .create(
            "/apis/config.openshift.io/v1/proxies",
            "{\"apiVersion\":\"config.openshift.io/v1\",\"kind\":\"Proxy\","
                + "\"metadata\":{\"name\":\"cluster\"},\"spec\":{}}");
  }

  @AfterAll
  static void stopLab() throws InterruptedException {
    operators.close();
    plane.close();
    lab.close();
    ssh.close();
  }

  private static OpenShiftEtcdLab.Run restore() throws Exception {
    return lab.run(
        "OCP-ETCD-RESTORE",
        List.of(
            "-p", "RecoveryHost=" + RECOVERY,
            "-p", "OtherHosts=" + String.join(",", OTHERS),
            "-p", "Every=200ms",
            "-p", "WaitTimeout=30s",
            "--answer", "ssh-to-every-host=yes"));
  }

  @Test
  @Order(1)
  void withoutTheBackupOnTheRecoveryHostItFailsBeforeStoppingAnything() throws Exception {
    lab.forgetRuns();

    OpenShiftEtcdLab.Run run = restore();

    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.FAILED);
    assertThat(lab.finish().message()).startsWith("no backup");
    for (String master : MASTERS) {
      assertThat(plane.host(master).path("/etc/kubernetes/manifests/etcd-pod.yaml")).exists();
      assertThat(plane.kubelet(master).isRunning("etcd")).isTrue();
    }
    assertThat(lab.commands()).noneMatch(c -> c.contains("sudo"));
  }

  @Test
  @Order(2)
  void theOldValuesAreBackAfterTheRestoreOnEveryMaster() throws Exception {
    EtcdCluster etcd = plane.etcd();
    etcd.etcdctl().put(etcd.endpoints(), "/kubernetes.io/configmaps/ns/settings", "old");
    // Marks the resources the backup will hold, so the restored manifests can be traced to it.
    ControlPlaneHost backedUp = plane.host(MASTERS.get(1));
    Path apiserver =
        backedUp.path(
            "/etc/kubernetes/static-pod-resources/kube-apiserver-pod-10/kube-apiserver-pod.yaml");
    Files.writeString(
        apiserver,
        Files.readString(apiserver).replace("\"app\"", "\"backup\" : \"marked\", \"app\""));
    takeBackupOn(MASTERS.get(1));
    etcd.etcdctl().put(etcd.endpoints(), "/kubernetes.io/configmaps/ns/settings", "new");
    etcd.etcdctl().put(etcd.endpoints(), "/kubernetes.io/configmaps/ns/added-later", "x");
    copyBackupTo(MASTERS.get(1), RECOVERY);
    Instant started = Instant.now();

    OpenShiftEtcdLab.Run run = restore();

    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finish().outcome().label()).isEqualTo("resolved");
    assertThat(operators.failure()).isEmpty();
    MASTERS.forEach(m -> assertThat(plane.kubelet(m).failure()).as(m).isEmpty());
    // The backup's values on every member of the rebuilt three-member cluster.
    assertThat(etcd.memberIds()).containsOnlyKeys(MASTERS);
    for (String master : MASTERS) {
      String url = etcd.member(master).clientUrl();
      assertThat(etcd.etcdctl().get(url, "/kubernetes.io/configmaps/ns/settings"))
          .as(master)
          .isEqualTo("old");
      assertThat(etcd.etcdctl().get(url, "/kubernetes.io/configmaps/ns/added-later")).isEmpty();
    }
    // The document's commands, as written, where it runs them.
    List<String> commands = lab.commands();
    assertThat(commands)
        .contains("sudo -E /usr/local/bin/cluster-restore.sh /home/core/backup")
        .containsSubsequence(
            "sudo mv /etc/kubernetes/manifests/etcd-pod.yaml /tmp",
            "sudo crictl ps | grep etcd | grep -v operator",
            "sudo mv /etc/kubernetes/manifests/kube-apiserver-pod.yaml /tmp",
            "sudo crictl ps | grep kube-apiserver | grep -v operator",
            "sudo mv /var/lib/etcd/ /tmp",
            "sudo -E /usr/local/bin/cluster-restore.sh /home/core/backup",
            "sudo systemctl restart kubelet.service");
    assertThat(Files.readString(plane.host(RECOVERY).path("/var/lib/lab/cluster-restore.log")))
        .startsWith("uid=0 ");
    // Step 4 on each other host, in the document's order: the API server's manifest leaves only
    // once the kubelet has stopped etcd, which it does a little after etcd's manifest left.
    for (String other : OTHERS) {
      List<StaticPodKubelet.Event> events = plane.kubelet(other).events();
      Instant etcdStopped = time(events, "stopped", "etcd-pod.yaml");
      assertThat(time(events, "removed", "etcd-pod.yaml")).isBefore(etcdStopped).isAfter(started);
      assertThat(time(events, "removed", "kube-apiserver-pod.yaml")).isAfter(etcdStopped);
      ControlPlaneHost host = plane.host(other);
      assertThat(host.path("/tmp/etcd-pod.yaml")).exists();
      assertThat(host.path("/tmp/kube-apiserver-pod.yaml")).exists();
      assertThat(host.path("/tmp/etcd/member")).isDirectory();
    }
    // The restore on the recovery host used the backup: its old data went to /var/lib/etcd-backup,
    // the control plane manifests came from the archive, and the kubelet started etcd from the
    // restore-etcd manifest the script left (the Operator has since replaced it).
    ControlPlaneHost recovery = plane.host(RECOVERY);
    assertThat(recovery.path("/var/lib/etcd-backup/member")).isDirectory();
    assertThat(recovery.path("/var/lib/etcd-backup/snapshot.db")).exists();
    assertThat(recovery.path("/etc/kubernetes/manifests-stopped/etcd-pod.yaml")).exists();
    assertThat(
            Files.readString(
                recovery.path(
                    "/etc/kubernetes/static-pod-resources/kube-apiserver-pod-10/kube-apiserver-pod.yaml")))
        .contains("\"backup\" : \"marked\"");
    assertThat(plane.kubelet(RECOVERY).events())
        .extracting(e -> e.action() + " " + e.manifest())
        .containsSubsequence("stopped etcd-pod.yaml", "started etcd-pod.yaml");
    // kubelets restarted after the restore, the recovery host's first.
    Instant recoveryRestart = plane.kubelet(RECOVERY).restarts().get(0);
    for (String other : OTHERS) {
      assertThat(plane.kubelet(other).restarts())
          .singleElement()
          .satisfies(t -> assertThat(t).isAfter(recoveryRestart));
    }
    // Every rollout forced, one after the other, each waited for.
    assertThat(operators.rollouts())
        .containsExactly(
            "etcds 3->4",
            "kubeapiservers 10->11",
            "kubecontrollermanagers 6->7",
            "kubeschedulers 7->8");
    for (String plural : StaticPodOperatorsStandIn.FIRST_REVISIONS.keySet()) {
      assertThat(
              lab.fixture()
                  .object(StaticPodOperatorsStandIn.API + plural + "/cluster")
                  .orElseThrow())
          .as(plural)
          .contains("\"forceRedeploymentReason\":\"recovery-20");
    }
  }

  private static Instant time(List<StaticPodKubelet.Event> events, String action, String manifest) {
    return events.stream()
        .filter(e -> e.action().equals(action) && e.manifest().equals(manifest))
        .map(StaticPodKubelet.Event::time)
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no '" + action + " " + manifest + "' in " + events));
  }

  /** The backup, taken by the backup runbook on {@code node}. */
  private static void takeBackupOn(String node) throws Exception {
    lab.forgetRuns();
    OpenShiftEtcdLab.Run backup = lab.run("OCP-ETCD-BACKUP", List.of("-p", "Node=" + node));
    assertThat(backup.exitCode()).as(backup.all()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finish().outcome().label()).isEqualTo("resolved"); // and its trail verifies
    lab.forgetRuns();
  }

  /** "Copy the etcd backup directory to the recovery control plane host", as core would. */
  private static void copyBackupTo(String from, String to) throws IOException {
    Path source = plane.host(from).path("/home/core/assets/backup");
    Path target = Files.createDirectories(plane.host(to).path("/home/core/backup"));
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    TestUser.own(target, ssh.user());
  }
}
