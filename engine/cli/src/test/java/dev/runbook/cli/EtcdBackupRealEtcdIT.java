package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.etcd.Etcdctl;
import dev.runbook.fixtures.openshift.ControlPlaneHost;
import dev.runbook.fixtures.openshift.OpenShiftControlPlane;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OCP-ETCD-BACKUP (OpenShift "Backup and restore" 1.1) run by the real CLI against the OpenShift
 * lab: three master hosts, each a real sshd in its own mount namespace that the runbook logs in to
 * as core and uses the real sudo on, each running its real etcd 3.4 member as a static pod of the
 * lab's kubelet; oc is the real kubectl against the Kubernetes mock fixture. The document's
 * /usr/local/bin/cluster-backup.sh is the lab's stand-in with the Operator script's contract
 * (etcdctl snapshot save, the latest static pod resources relative to /etc/kubernetes). One lab for
 * the class: a backup only reads the cluster.
 */
class EtcdBackupRealEtcdIT {

  private static final String PROXIES = "/apis/config.openshift.io/v1/proxies";
  private static final List<String> MASTERS = OpenShiftEtcdLab.MASTERS;
  private static final String NODE = MASTERS.get(1);

  private static SshLab ssh;
  private static OpenShiftEtcdLab lab;
  private static OpenShiftControlPlane plane;

  @BeforeAll
  static void startLab() throws IOException {
    ssh = SshLab.create("core"); // the document's login on RHCOS masters
    lab = new OpenShiftEtcdLab(ssh.dir());
    plane = OpenShiftControlPlane.start(ssh, lab.fixture(), MASTERS, Duration.ofMillis(300));
    lab.environment("RUNBOOK_SSH_CONFIG", plane.sshConfig().toString());
  }

  @AfterAll
  static void stopLab() throws InterruptedException {
    plane.close();
    lab.close();
    ssh.close();
  }

  @BeforeEach
  void freshRun() throws IOException {
    lab.forgetRuns();
    lab.fixture().delete(PROXIES + "/cluster");
    for (String master : MASTERS) {
      deleteTree(plane.host(master).path("/home/core/assets"));
      Files.deleteIfExists(plane.host(master).path("/var/lib/lab/cluster-backup.log"));
    }
  }

  private static void proxy(String spec, String status) {
    lab.fixture()
        .create(
            PROXIES,
            "{\"apiVersion\":\"config.openshift.io/v1\",\"kind\":\"Proxy\","
                + "\"metadata\":{\"name\":\"cluster\"},\"spec\":"
                + spec
                + ",\"status\":"
                + status
                + "}");
  }

  private static CliRun.Finished backup(String node) throws Exception {
    return lab.run("OCP-ETCD-BACKUP", List.of("-p", "Node=" + node));
  }

  private static List<Path> backupFiles(String node) throws IOException {
    try (Stream<Path> files = Files.list(plane.host(node).path("/home/core/assets/backup"))) {
      return files.sorted().toList();
    }
  }

  @Test
  void theBackupScriptRunsAsRootOnTheMasterHostAndKeepsOnlyTheLatestRevisions() throws Exception {
    proxy("{}", "{}");
    plane.etcd().etcdctl().put(plane.etcd().endpoints(), "/kubernetes.io/pods/ns/p", "backed-up");

    CliRun.Finished run = backup(NODE);

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finish().outcome().label()).isEqualTo("resolved");
    // The document's command, as written, on the master host over SSH as core.
    assertThat(lab.commands())
        .contains(
            "sudo /usr/local/bin/cluster-backup.sh /home/core/assets/backup",
            "sudo ls -1 /home/core/assets/backup");
    ControlPlaneHost master = plane.host(NODE);
    assertThat(lab.ranOn())
        .containsEntry(
            "backup@1", "core@" + master.server().address() + ":" + ssh.port() + " (" + NODE + ")");
    assertThat(Files.readString(master.path("/var/lib/lab/cluster-backup.log")))
        .as("run once, as root")
        .startsWith("uid=0 ")
        .hasLineCount(1);
    for (String other : List.of(MASTERS.get(0), MASTERS.get(2))) {
      assertThat(plane.host(other).path("/var/lib/lab/cluster-backup.log")).doesNotExist();
    }
    // The two files of the document, in the master's BackupDir, written by root.
    List<Path> files = backupFiles(NODE);
    assertThat(files).hasSize(2);
    String snapshot = files.get(0).getFileName().toString();
    assertThat(snapshot).matches("snapshot_\\d{4}-\\d{2}-\\d{2}_\\d{6}\\.db");
    assertThat(files.get(1).getFileName().toString())
        .isEqualTo(
            snapshot.replace("snapshot_", "static_kuberesources_").replace(".db", ".tar.gz"));
    assertThat(files).allMatch(f -> owner(f).equals("root"));
    // A real etcd snapshot, with the key written before.
    Etcdctl.Result status =
        plane
            .etcd()
            .etcdctl()
            .run(
                plane.etcd().endpoints(),
                "snapshot",
                "status",
                files.get(0).toString(),
                "-w",
                "json");
    assertThat(status.ok()).as(status.stderr()).isTrue();
    JsonNode json = new ObjectMapper().readTree(status.stdout());
    assertThat(json.path("totalKey").asInt()).isPositive();
    // Only the latest revision of each static pod, relative to /etc/kubernetes, as the Operator's
    // cluster-restore.sh reads it back.
    assertThat(directories(tarListing(files.get(1))))
        .containsExactlyInAnyOrder(
            "static-pod-resources/kube-apiserver-pod-10",
            "static-pod-resources/kube-controller-manager-pod-6",
            "static-pod-resources/kube-scheduler-pod-7",
            "static-pod-resources/etcd-pod-3");
    assertThat(lab.fixture().objectRequests())
        .extracting(r -> r.line())
        .containsExactly(
            "GET /api/v1/namespaces/openshift-etcd/pods", "GET " + PROXIES + "/cluster");
  }

  @Test
  void withTheClusterWideProxyTheScriptGetsItsVariables() throws Exception {
    proxy(
        "{\"httpProxy\":\"http://proxy.example:3128\",\"httpsProxy\":\"http://proxy.example:3128\","
            + "\"noProxy\":\".cluster.local\"}",
        "{\"httpProxy\":\"http://proxy.example:3128\",\"httpsProxy\":\"http://proxy.example:3128\","
            + "\"noProxy\":\".cluster.local,10.0.0.0/16,localhost\"}");

    CliRun.Finished run = backup(NODE);

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(plane.host(NODE).path("/var/lib/lab/cluster-backup.log")))
        .isEqualTo(
            "uid=0 HTTP_PROXY=http://proxy.example:3128 HTTPS_PROXY=http://proxy.example:3128"
                + " NO_PROXY=.cluster.local,10.0.0.0/16,localhost\n");
    assertThat(lab.finished("succeeded")).contains("backup-through-proxy@1", "two-files@1");
    assertThat(backupFiles(NODE)).hasSize(2);
  }

  @Test
  void aHostWithoutARunningEtcdIsRefusedBeforeAnythingRuns() throws Exception {
    proxy("{}", "{}");

    CliRun.Finished run = backup("ip-10-0-200-1.ec2.internal"); // a worker: no etcd pod

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.FAILED);
    assertThat(lab.finish().message()).contains("etcd pod of Node is not running");
    assertThat(lab.commands()).hasSize(1);
    for (String master : MASTERS) {
      assertThat(plane.host(master).path("/home/core/assets")).doesNotExist();
    }
  }

  private static String owner(Path file) {
    try {
      return Files.getOwner(file).getName();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directories two levels down ({@code static-pod-resources/X}) the archive holds. */
  private static List<String> directories(String listing) {
    List<String> dirs = new ArrayList<>();
    for (String entry : listing.split("\n")) {
      List<String> parts = Arrays.asList(entry.split("/"));
      assertThat(parts.get(0)).as(entry).isEqualTo("static-pod-resources");
      if (parts.size() >= 2 && !dirs.contains(parts.get(0) + "/" + parts.get(1))) {
        dirs.add(parts.get(0) + "/" + parts.get(1));
      }
    }
    return dirs;
  }

  private static String tarListing(Path archive) throws Exception {
    Path out = Files.createTempFile(ssh.dir(), "listing-", ".txt");
    Process tar =
        new ProcessBuilder("tar", "-tzf", archive.toString())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .start();
    assertThat(tar.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String listing = Files.readString(out);
    Files.delete(out);
    return listing;
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
