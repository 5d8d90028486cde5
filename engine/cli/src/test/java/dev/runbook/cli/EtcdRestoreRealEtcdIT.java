package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.LabUser;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.TestUser;
import dev.runbook.fixtures.etcd.EtcdCluster;
import dev.runbook.fixtures.etcd.EtcdMember;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OCP-ETCD-RESTORE (OpenShift "Backup and restore" 5.3.1) run by the real CLI after OCP-ETCD-BACKUP
 * took the backup: keys are written, backed up, changed, and after the restore the real etcd on the
 * recovery host (reached over SSH to a real sshd) holds the old values again. oc (the real kubectl)
 * talks to the Kubernetes mock fixture. The test plays the operator at the manual steps (other
 * hosts) and, in threads, the recovery host's kubelet (stops etcd when its manifest goes) and the
 * etcd Operator (its pods return after the redeployment).
 */
@ExtendWith(SshLabExtension.class)
@LabUser("core")
class EtcdRestoreRealEtcdIT {

  private static final List<String> MEMBERS =
      List.of(
          "ip-10-0-143-125.ec2.internal",
          "ip-10-0-154-194.ec2.internal",
          "ip-10-0-173-171.ec2.internal");
  private static final String RECOVERY = MEMBERS.get(0);

  private EtcdCluster etcd;
  private OpenShiftEtcdLab lab;
  private Path dir;
  private Path backupDir;
  private Path manifests;
  private Path oldData;

  private void setUp(SshLab ssh) throws IOException {
    dir = ssh.dir();
    etcd = EtcdCluster.start(dir, MEMBERS);
    lab = new OpenShiftEtcdLab(dir);
    backupDir = dir.resolve("home/core/backup");
    manifests = Files.createDirectories(dir.resolve("recovery/etc/kubernetes/manifests"));
    Files.writeString(manifests.resolve("etcd-pod.yaml"), "kind: Pod\n");
    Files.writeString(manifests.resolve("kube-apiserver-pod.yaml"), "kind: Pod\n");
    oldData = Files.createDirectories(dir.resolve("recovery/tmp"));
    OpenSshServer host = ssh.start();
    lab.environment("RUNBOOK_SSH_CONFIG", ssh.sshConfig(Map.of(RECOVERY, host)).toString());
    lab.fixture()
        .create(
            "/apis/config.openshift.io/v1/proxies",
            "{\"apiVersion\":\"config.openshift.io/v1\",\"kind\":\"Proxy\","
                + "\"metadata\":{\"name\":\"cluster\"},\"spec\":{}}");
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

  /** The backup, taken by the backup runbook on the recovery host's etcd, owned by core. */
  private void takeBackup(SshLab ssh) throws Exception {
    Path staticPods = Files.createDirectories(dir.resolve("recovery/static-pod-resources"));
    Files.writeString(staticPods.resolve("kube-apiserver-certs"), "certs\n");
    OpenShiftEtcdLab.Run backup =
        lab.run(
            "OCP-ETCD-BACKUP",
            List.of(
                "-p", "Endpoint=" + etcd.member(RECOVERY).clientUrl(),
                "-p", "BackupDir=" + backupDir,
                "-p", "StaticPodResources=" + staticPods));
    assertThat(backup.exitCode()).as(backup.all()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finish().outcome()).isEqualTo("resolved"); // and its trail verifies
    // The restore's checks below read the only run of the state dir: the backup's goes.
    try (java.util.stream.Stream<Path> paths = Files.walk(dir.resolve("state"))) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
    TestUser.own(dir.resolve("home"), ssh.user());
  }

  private OpenShiftEtcdLab.Run restore(String... more) throws Exception {
    EtcdMember recovery = etcd.member(RECOVERY);
    List<String> args =
        new ArrayList<>(
            List.of(
                "-p", "RecoveryHost=" + RECOVERY,
                "-p", "RecoveryPeerUrl=" + recovery.peerUrl(),
                "-p", "RecoveryEndpoint=" + recovery.clientUrl(),
                "-p", "Sudo=env",
                "-p", "Systemctl=" + kubeletStandIn(recovery),
                "-p", "BackupDir=" + backupDir,
                "-p", "ManifestDir=" + manifests,
                "-p", "EtcdDataDir=" + recovery.dataDir(),
                "-p", "OldDataDir=" + oldData,
                "-p", "EtcdctlTimeout=1s",
                "-p", "Every=200ms",
                "-p", "WaitTimeout=30s",
                "--answer", "ssh-to-every-host=yes"));
    args.addAll(List.of(more));
    return lab.run("OCP-ETCD-RESTORE", args);
  }

  /**
   * A systemctl for the lab's recovery host: restarting the kubelet starts the etcd static pod,
   * here the fixture's one-member etcd on the restored data dir.
   */
  private Path kubeletStandIn(EtcdMember recovery) throws IOException {
    Path script = dir.resolve("systemctl-stand-in.sh");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "# Stands in for systemctl on the lab's recovery host: the kubelet starts etcd.\n"
            + "[ \"$1\" = restart ] && [ \"$2\" = kubelet.service ] || exit 2\n"
            + "exec "
            + etcd.startRestoredScript(RECOVERY)
            + " "
            + recovery.dataDir()
            + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  @Test
  void theOldValuesAreBackAfterTheRestore(SshLab ssh) throws Exception {
    setUp(ssh);
    String all = etcd.endpoints();
    etcd.etcdctl().put(all, "/kubernetes.io/configmaps/ns/settings", "old");
    takeBackup(ssh);
    etcd.etcdctl().put(all, "/kubernetes.io/configmaps/ns/settings", "new");
    etcd.etcdctl().put(all, "/kubernetes.io/configmaps/ns/added-later", "x");
    OpenShiftEtcdObjects.storeAfterRestore(lab.fixture(), RECOVERY);
    TestUser.own(etcd.member(RECOVERY).dataDir().getParent(), ssh.user());
    TestUser.own(dir.resolve("recovery"), ssh.user());

    OpenShiftEtcdLab.Run paused = restore();
    assertThat(paused.exitCode()).as(paused.all()).isEqualTo(ExitCodes.PAUSED);
    assertThat(etcd.isRunning(RECOVERY)).as("nothing stopped before step 4 is done").isTrue();

    // Step 4, by hand on the other hosts: their etcd stops, their data goes to /tmp.
    for (String other : MEMBERS.subList(1, 3)) {
      etcd.kill(other);
      Files.move(etcd.member(other).dataDir(), oldData.resolve(other + ".etcd"));
    }
    CompletableFuture<Void> kubelet = recoveryKubeletStopsEtcdWhenItsManifestGoes();
    CompletableFuture<Void> operator = etcdPodsReturnAfterTheRedeployment();
    OpenShiftEtcdLab.Run run =
        lab.resume(
            List.of("--answer", "stop-other-hosts=yes", "--answer", "restart-kubelet-others=yes"));

    assertThat(run.exitCode()).as(paused.all() + run.all()).isEqualTo(ExitCodes.OK);
    kubelet.get(5, TimeUnit.SECONDS);
    operator.get(5, TimeUnit.SECONDS);
    assertThat(lab.finish().outcome()).isEqualTo("resolved");
    String restored = etcd.member(RECOVERY).clientUrl();
    assertThat(etcd.etcdctl().get(restored, "/kubernetes.io/configmaps/ns/settings"))
        .isEqualTo("old");
    assertThat(etcd.etcdctl().get(restored, "/kubernetes.io/configmaps/ns/added-later")).isEmpty();
    assertThat(etcd.etcdctl().run(restored, "member", "list").stdout())
        .contains(RECOVERY)
        .doesNotContain(MEMBERS.get(1));
    assertThat(oldData.resolve(etcd.member(RECOVERY).dataDir().getFileName())).isDirectory();
    assertThat(oldData.resolve("etcd-pod.yaml")).exists();
    assertThat(lab.commands())
        .anyMatch(c -> c.contains("etcdctl snapshot restore " + backupDir + "/snapshot_*.db"));
    for (String plural :
        List.of("etcds", "kubeapiservers", "kubecontrollermanagers", "kubeschedulers")) {
      assertThat(
              lab.fixture()
                  .object("/apis/operator.openshift.io/v1/" + plural + "/cluster")
                  .orElseThrow())
          .as(plural)
          .contains("\"forceRedeploymentReason\":\"recovery-20");
    }
  }

  private CompletableFuture<Void> recoveryKubeletStopsEtcdWhenItsManifestGoes() {
    return CompletableFuture.runAsync(
        () -> {
          Eventually.within(
              Duration.ofSeconds(50),
              "etcd-pod.yaml to leave the recovery host's manifests",
              () -> !Files.exists(manifests.resolve("etcd-pod.yaml")));
          etcd.kill(RECOVERY);
        });
  }

  private CompletableFuture<Void> etcdPodsReturnAfterTheRedeployment() {
    return CompletableFuture.runAsync(
        () -> {
          Eventually.within(
              Duration.ofSeconds(50),
              "the etcd redeployment",
              () ->
                  lab.fixture()
                      .object("/apis/operator.openshift.io/v1/etcds/cluster")
                      .orElse("")
                      .contains("forceRedeploymentReason"));
          for (String other : MEMBERS.subList(1, 3)) {
            OpenShiftEtcdObjects.storeEtcdPod(lab.fixture(), other);
          }
        });
  }

  @Test
  void withoutTheBackupOnTheRecoveryHostItFailsBeforeStoppingAnything(SshLab ssh) throws Exception {
    setUp(ssh);
    OpenShiftEtcdObjects.storeAfterRestore(lab.fixture(), RECOVERY);

    OpenShiftEtcdLab.Run run = restore();

    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.FAILED);
    assertThat(lab.finish().message()).startsWith("no backup");
    assertThat(manifests.resolve("etcd-pod.yaml")).exists();
    assertThat(MEMBERS).allMatch(etcd::isRunning);
  }
}
