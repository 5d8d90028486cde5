package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.fixtures.etcd.EtcdCluster;
import dev.runbook.fixtures.etcd.Etcdctl;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCP-ETCD-BACKUP (OpenShift "Backup and restore" 1.1) run by the real CLI: etcdctl against a real
 * 3-member etcd 3.4 cluster on loopback, oc (the real kubectl) against the Kubernetes mock fixture
 * for the cluster proxy. One test per outcome.
 */
class EtcdBackupRealEtcdIT {

  private static final String PROXIES = "/apis/config.openshift.io/v1/proxies";

  // One cluster for the class: a backup only reads it.
  @TempDir static Path etcdDir;
  private static EtcdCluster etcd;

  @TempDir Path tmp;
  private OpenShiftEtcdLab lab;
  private Path backupDir;
  private Path staticPods;

  @BeforeAll
  static void startEtcd() throws IOException {
    etcd = EtcdCluster.start(etcdDir);
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  @BeforeEach
  void start() throws IOException {
    lab = new OpenShiftEtcdLab(tmp);
    backupDir = tmp.resolve("home/core/assets/backup");
    staticPods = Files.createDirectories(tmp.resolve("static-pod-resources/kube-apiserver-pod-7"));
    Files.writeString(staticPods.resolve("pod.yaml"), "kind: Pod\n");
  }

  @AfterEach
  void stop() {
    lab.close();
  }

  private void proxy(String spec) {
    lab.fixture()
        .create(
            PROXIES,
            "{\"apiVersion\":\"config.openshift.io/v1\",\"kind\":\"Proxy\","
                + "\"metadata\":{\"name\":\"cluster\"},\"spec\":"
                + spec
                + "}");
  }

  private OpenShiftEtcdLab.Run backup(String endpoint, String... more) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-p",
                "Endpoint=" + endpoint,
                "-p",
                "EtcdctlTimeout=1s",
                "-p",
                "BackupDir=" + backupDir,
                "-p",
                "StaticPodResources=" + staticPods.getParent()));
    args.addAll(List.of(more));
    return lab.run("OCP-ETCD-BACKUP", args);
  }

  private List<Path> backupFiles() throws IOException {
    try (Stream<Path> files = Files.list(backupDir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void withoutAProxyTheSnapshotIsSavedAndChecked() throws Exception {
    proxy("{}");
    etcd.etcdctl().put(etcd.endpoints(), "/kubernetes.io/pods/ns/p", "before-backup");

    OpenShiftEtcdLab.Run run = backup(etcd.member("etcd-0").clientUrl());

    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finish().outcome()).isEqualTo("resolved");
    List<Path> files = backupFiles();
    assertThat(files).hasSize(2);
    Path snapshot = files.get(0);
    assertThat(snapshot.getFileName().toString())
        .matches("snapshot_\\d{4}-\\d{2}-\\d{2}_\\d{6}\\.db");
    assertThat(files.get(1).getFileName().toString())
        .isEqualTo(
            snapshot
                .getFileName()
                .toString()
                .replace("snapshot_", "static_kuberesources_")
                .replace(".db", ".tar.gz"));
    // Checked here with etcdctl too: a real snapshot holding the key written before.
    Etcdctl.Result status =
        etcd.etcdctl()
            .run(etcd.endpoints(), "snapshot", "status", snapshot.toString(), "-w", "json");
    assertThat(status.ok()).as(status.stderr()).isTrue();
    JsonNode json = new ObjectMapper().readTree(status.stdout());
    assertThat(json.path("totalKey").asInt()).isPositive();
    assertThat(tarListing(files.get(1))).contains("./kube-apiserver-pod-7/pod.yaml");
    assertThat(lab.commands())
        .anyMatch(
            c ->
                c.contains(
                    "etcdctl --endpoints=" + etcd.member("etcd-0").clientUrl() + " snapshot save"))
        .anyMatch(c -> c.startsWith("etcdctl snapshot status " + snapshot));
    assertThat(lab.fixture().objectRequests())
        .extracting(r -> r.line())
        .containsExactly("GET " + PROXIES + "/cluster");
  }

  @Test
  void withAProxyTheRunWaitsUntilTheProxyVariablesAreExported() throws Exception {
    proxy("{\"httpProxy\":\"http://proxy.example:3128\",\"noProxy\":\".cluster.local\"}");

    OpenShiftEtcdLab.Run paused = backup(etcd.member("etcd-0").clientUrl());
    assertThat(paused.exitCode()).as(paused.all()).isEqualTo(ExitCodes.PAUSED);
    assertThat(Files.exists(backupDir)).as("nothing is saved before the proxy step").isFalse();

    OpenShiftEtcdLab.Run run = lab.resume(List.of("--answer", "export-proxy=yes"));

    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finish().outcome()).isEqualTo("resolved");
    assertThat(lab.finished("succeeded")).contains("export-proxy@1", "snapshot-status@1");
    assertThat(backupFiles()).hasSize(2);
  }

  @Test
  void noRunningEtcdOnTheMasterFails() throws Exception {
    proxy("{}");

    OpenShiftEtcdLab.Run run = backup("http://127.0.0.1:" + closedPort());

    assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.FAILED);
    assertThat(lab.finish().outcome()).isEqualTo("failed");
    assertThat(lab.finish().message()).contains("no running etcd instance");
    assertThat(Files.exists(backupDir)).isFalse();
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  private static int closedPort() throws IOException {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String tarListing(Path archive) throws Exception {
    Path out = archive.resolveSibling("listing.txt");
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
}
