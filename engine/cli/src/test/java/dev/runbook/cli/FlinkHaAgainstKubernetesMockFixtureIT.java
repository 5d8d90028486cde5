package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.fixtures.kubernetes.ApiResource;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.fixtures.kubernetes.KubernetesFixtureExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * FLINK-HA-K8S (Flink HA cluster with the Flink Kubernetes Operator) run by the real CLI and the
 * real kubectl against the Kubernetes mock fixture (fabric8's CRUD mock, not a real API server and
 * no real operator). The document's manifests are small stand-ins written by the test, and {@link
 * FlinkControllersStandIn} plays the parts a cluster would, each a little late: it starts the
 * operator's pod when its Deployment is applied, binds the PVCs (at once, on first use, or never),
 * and marks FlinkDeployments ready with their pods running. One test per outcome, each asserting
 * the requests kubectl really sent.
 */
@ExtendWith(KubernetesFixtureExtension.class)
class FlinkHaAgainstKubernetesMockFixtureIT {

  private static final String NS = FlinkControllersStandIn.NS;
  private static final String FLINKDEPLOYMENTS = FlinkControllersStandIn.FLINKDEPLOYMENTS;
  private static final String PVCS = FlinkControllersStandIn.PVCS;
  private static final String OPERATOR = FlinkControllersStandIn.OPERATOR;

  @TempDir Path tmp;
  private KubernetesFixture fixture;
  private FixtureRunner runner;
  private Path manifests;
  private FlinkControllersStandIn controllers;

  @BeforeEach
  void start(KubernetesFixture fixture) throws IOException {
    this.fixture = fixture;
    // The CRD that flink-operator-v2.yaml installs on a real cluster.
    fixture.addResource(
        new ApiResource(
            "flink.apache.org",
            "v1beta1",
            "flinkdeployments",
            "FlinkDeployment",
            true,
            List.of("flinkdep"),
            List.of("status")));
    runner = FixtureRunner.in(tmp, fixture, Map.of());
    manifests = Files.createDirectories(tmp.resolve("manifests"));
    writeManifests("ReadWriteOnce");
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (controllers != null) {
      controllers.close();
    }
  }

  private CliRun.Finished deploy(String mode, String... answers) throws Exception {
    CliRun deploy =
        runner
            .command("FLINK-HA-K8S")
            .param("ManifestDir", manifests)
            .param("Mode", mode)
            // The fixture serves no OpenAPI schema for kubectl's client-side validation.
            .param("Validate", "false")
            .param("OperatorWait", "2s")
            .param("StartWait", "3s")
            .param("Every", "200ms");
    for (String answer : answers) {
      deploy = deploy.with("--answer", answer);
    }
    return runner.finish(deploy);
  }

  @Test
  void theSimpleHaClusterIsDeployedAndResolved() throws Exception {
    startControllers(
        new FlinkControllersStandIn.Cluster(true, FlinkControllersStandIn.Binding.IMMEDIATE));

    CliRun.Finished run = deploy("simple");

    assertThat(controllers.failure()).isNull();
    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(run.terminal()).contains("the HA Flink cluster is deployed and its pods run");
    assertThat(created())
        .containsExactly(
            "POST /api/v1/namespaces",
            "POST /apis/apps/v1/namespaces/flink-system/deployments",
            "POST /api/v1/namespaces",
            "POST " + FLINKDEPLOYMENTS);
    assertThat(fixture.object(FLINKDEPLOYMENTS + "/simple-ha-flink-cluster")).isPresent();
    assertThat(lines()).noneMatch(line -> line.contains("persistentvolumeclaims"));
    runner.verifiedTrail();
  }

  @Test
  void thePersistentHaClusterIsDeployedWhileItsPvcsWaitForTheirFirstConsumer() throws Exception {
    startControllers(
        new FlinkControllersStandIn.Cluster(true, FlinkControllersStandIn.Binding.FIRST_CONSUMER));

    CliRun.Finished run = deploy("persistent");

    assertThat(controllers.failure()).isNull();
    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(created())
        .containsSubsequence("POST " + PVCS, "POST " + FLINKDEPLOYMENTS)
        .doesNotContain("POST /api/v1/namespaces/" + NS + "/resourcequotas");
    assertThat(fixture.object(FLINKDEPLOYMENTS + "/ha-flink-cluster-v2")).isPresent();
    assertThat(fixture.object(FLINKDEPLOYMENTS + "/simple-ha-flink-cluster")).isEmpty();
    // WaitForFirstConsumer: the PVCs were still Pending when the cluster was deployed; they bound
    // once its pods were there, and only then did it become ready.
    assertThat(controllers.timeline())
        .containsSubsequence(
            "pods of ha-flink-cluster-v2", "pvc bound flink-ha-data", "ready ha-flink-cluster-v2");
    runner.verifiedTrail();
  }

  @Test
  void thePersistentHaClusterIsDeployedOnAStorageClassThatBindsAtOnce() throws Exception {
    startControllers(
        new FlinkControllersStandIn.Cluster(true, FlinkControllersStandIn.Binding.IMMEDIATE));

    CliRun.Finished run = deploy("persistent");

    assertThat(controllers.failure()).isNull();
    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(controllers.timeline()).contains("ready ha-flink-cluster-v2");
    runner.verifiedTrail();
  }

  @Test
  void aPvcPendingForTheWrongAccessModeIsEscalatedWithoutDeploying() throws Exception {
    writeManifests("ReadWriteMany");
    startControllers(
        new FlinkControllersStandIn.Cluster(true, FlinkControllersStandIn.Binding.NEVER));

    CliRun.Finished run = deploy("persistent", "use-ephemeral-storage=no");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("PVC Pending: wrong access mode");
    assertThat(created()).doesNotContain("POST " + FLINKDEPLOYMENTS);
    assertThat(lines()).doesNotContain("GET /api/v1/namespaces/" + NS + "/resourcequotas");
    List<AuditEvent> trail = runner.verifiedTrail();
    assertThat(trail)
        .filteredOn(AuditEvent.Answered.class::isInstance)
        .extracting(e -> ((AuditEvent.Answered) e).step())
        .containsExactly("use-ephemeral-storage@1");
  }

  @Test
  void aPvcPendingForTheWrongAccessModeCanFallBackToEphemeralStorage() throws Exception {
    writeManifests("ReadWriteMany");
    startControllers(
        new FlinkControllersStandIn.Cluster(true, FlinkControllersStandIn.Binding.NEVER));

    CliRun.Finished run = deploy("persistent", "use-ephemeral-storage=yes");

    assertThat(controllers.failure()).isNull();
    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(fixture.object(FLINKDEPLOYMENTS + "/simple-ha-flink-cluster")).isPresent();
    assertThat(fixture.object(FLINKDEPLOYMENTS + "/ha-flink-cluster-v2")).isEmpty();
    runner.verifiedTrail();
  }

  @Test
  void aPvcPendingForAUsedUpQuotaIsEscalated() throws Exception {
    fixture.create(
        "/api/v1/namespaces/" + NS + "/resourcequotas",
        "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"storage\","
            + "\"namespace\":\""
            + NS
            + "\"},\"spec\":{\"hard\":{\"requests.storage\":\"50Gi\"}},"
            + "\"status\":{\"hard\":{\"requests.storage\":\"50Gi\"},"
            + "\"used\":{\"requests.storage\":\"50Gi\"}}}");
    startControllers(
        new FlinkControllersStandIn.Cluster(true, FlinkControllersStandIn.Binding.NEVER));

    CliRun.Finished run = deploy("persistent");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal())
        .contains("PVC Pending: insufficient storage quota")
        .doesNotContain("PVC Pending: wrong access mode (");
    // Deployed first (a Pending PVC is no reason not to), diagnosed when it did not become ready.
    assertThat(lines())
        .containsSubsequence(
            "POST " + FLINKDEPLOYMENTS, "GET /api/v1/namespaces/" + NS + "/resourcequotas");
    runner.verifiedTrail();
  }

  @Test
  void aPvcPendingWithoutItsStorageClassIsEscalated() throws Exception {
    startControllers(
        new FlinkControllersStandIn.Cluster(true, FlinkControllersStandIn.Binding.NEVER));

    CliRun.Finished run = deploy("persistent");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("PVC Pending: storage class not available");
    assertThat(lines())
        .contains(
            "GET /api/v1/namespaces/" + NS + "/resourcequotas",
            "GET /apis/storage.k8s.io/v1/storageclasses/azure-disk-std-ssd-lrs");
    runner.verifiedTrail();
  }

  @Test
  void aPvcPendingForAnotherReasonIsDescribedAndEscalated() throws Exception {
    fixture.create(
        "/apis/storage.k8s.io/v1/storageclasses",
        "{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":\"StorageClass\",\"metadata\":"
            + "{\"name\":\"azure-disk-std-ssd-lrs\"},\"provisioner\":\"disk.csi.azure.com\"}");
    startControllers(
        new FlinkControllersStandIn.Cluster(true, FlinkControllersStandIn.Binding.NEVER));

    CliRun.Finished run = deploy("persistent");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("PVC Pending for another reason");
    assertThat(lines())
        .contains("GET /api/v1/namespaces/" + NS + "/persistentvolumeclaims/flink-ha-data");
    runner.verifiedTrail();
  }

  @Test
  void anOperatorThatNeverBecomesReadyIsDiagnosedAndEscalated() throws Exception {
    startControllers(
        new FlinkControllersStandIn.Cluster(false, FlinkControllersStandIn.Binding.IMMEDIATE));

    CliRun.Finished run = deploy("simple");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("the Flink Kubernetes Operator is not ready");
    assertThat(created()).doesNotContain("POST " + FLINKDEPLOYMENTS);
    // The document's diagnostic commands: its pods, "logs deployment/flink-kubernetes-operator"
    // (kubectl finds the Deployment first), and its logs by label.
    assertThat(lines())
        .contains("GET /api/v1/namespaces/flink-system/pods", "GET " + OPERATOR)
        .doesNotContain("GET /api/v1/namespaces/flink-system/events");
    List<AuditEvent> trail = runner.verifiedTrail();
    assertThat(FixtureRunner.started(trail))
        .containsSubsequence(
            "operator-ready@1",
            "operator-diagnostics@1/operator-pods@1",
            "operator-diagnostics@1/operator-deployment-logs@1",
            "operator-diagnostics@1/operator-logs@1")
        .doesNotContain("which-storage@1");
    assertThat(trail)
        .filteredOn(AuditEvent.CommandRendered.class::isInstance)
        .extracting(e -> ((AuditEvent.CommandRendered) e).command())
        .anyMatch(c -> c.endsWith(" logs -n flink-system deployment/flink-kubernetes-operator"));
  }

  @Test
  void aFlinkClusterThatDoesNotBecomeReadyIsDiagnosedWithItsNamespacesEvents() throws Exception {
    startControllers(
        new FlinkControllersStandIn.Cluster(
            true, FlinkControllersStandIn.Binding.IMMEDIATE, false));

    CliRun.Finished run = deploy("simple", "storage-paths=yes");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal())
        .contains("the Flink cluster did not become ready")
        .contains("simple-ha-flink-cluster-jobmanager.scheduled"); // the namespace's event
    assertThat(lines())
        .contains(
            "GET /api/v1/namespaces/" + NS + "/events",
            "GET /api/v1/namespaces/" + NS + "/serviceaccounts",
            "GET /apis/rbac.authorization.k8s.io/v1/namespaces/" + NS + "/rolebindings")
        .doesNotContain("GET /api/v1/namespaces/flink-system/events");
    runner.verifiedTrail();
  }

  @Test
  void theDryRunShowsBothStoragePathsAndSendsNothing() {
    Cli cli =
        Cli.run(
            "run",
            "FLINK-HA-K8S",
            "--dry-run",
            "-p",
            "Kubeconfig=" + fixture.kubeconfig(),
            "-p",
            "ManifestDir=" + manifests,
            "-p",
            "Mode=persistent");

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains(
            "apply --validate=true -f " + manifests + "/flink-operator-v2.yaml",
            "wait --for=condition=ready pod -l app.kubernetes.io/name=flink-kubernetes-operator"
                + " -n flink-system --timeout=300s",
            "apply --validate=true -f " + manifests + "/flink-storage.yaml",
            "apply --validate=true -f " + manifests + "/ha-flink-cluster-v2.yaml",
            "apply --validate=true -f " + manifests + "/simple-ha-flink-cluster.yaml",
            "get resourcequota -n " + NS + " -o json",
            "get events -n " + NS + " --sort-by=.lastTimestamp",
            "logs -n flink-system deployment/flink-kubernetes-operator")
        .doesNotContain("get events -n flink-system");
    assertThat(fixture.requests()).isEmpty();
  }

  private void startControllers(FlinkControllersStandIn.Cluster cluster) {
    controllers = FlinkControllersStandIn.start(fixture, cluster);
  }

  private List<String> lines() {
    return fixture.objectRequests().stream().map(KubeRequest::line).toList();
  }

  /** The creations kubectl sent, in order. */
  private List<String> created() {
    return lines().stream().filter(line -> line.startsWith("POST ")).toList();
  }

  /**
   * The document's six files reduced to what the runbook's checks read (the CRD and RBAC files are
   * not applied by its steps).
   */
  private void writeManifests(String pvcAccessMode) throws IOException {
    Files.writeString(
        manifests.resolve("flink-operator-v2.yaml"),
        namespace("flink-system")
            + "---\n"
            + """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: flink-kubernetes-operator
              namespace: flink-system
              labels: {app.kubernetes.io/name: flink-kubernetes-operator}
            spec:
              replicas: 1
              selector:
                matchLabels: {app.kubernetes.io/name: flink-kubernetes-operator}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: flink-kubernetes-operator}
                spec:
                  containers:
                  - {name: flink-kubernetes-operator, image: apache/flink-kubernetes-operator:1.10.0}
            """);
    StringBuilder storage = new StringBuilder(namespace(NS));
    for (String claim : List.of("flink-ha-data", "flink-checkpoints", "flink-savepoints")) {
      storage.append(
          """
          ---
          apiVersion: v1
          kind: PersistentVolumeClaim
          metadata: {name: %s, namespace: %s}
          spec:
            accessModes: [%s]
            storageClassName: azure-disk-std-ssd-lrs
            resources: {requests: {storage: 10Gi}}
          """
              .formatted(claim, NS, pvcAccessMode));
    }
    Files.writeString(manifests.resolve("flink-storage.yaml"), storage.toString());
    for (String cluster : List.of("ha-flink-cluster-v2", "simple-ha-flink-cluster")) {
      Files.writeString(
          manifests.resolve(cluster + ".yaml"),
          namespace(NS)
              + """
              ---
              apiVersion: flink.apache.org/v1beta1
              kind: FlinkDeployment
              metadata: {name: %s, namespace: %s}
              spec:
                image: flink:1.18
                flinkVersion: v1_18
                flinkConfiguration:
                  high-availability.type: kubernetes
                jobManager: {replicas: 2}
                taskManager: {replicas: 3}
              """
                  .formatted(cluster, NS));
    }
  }

  private static String namespace(String name) {
    return "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n";
  }
}
