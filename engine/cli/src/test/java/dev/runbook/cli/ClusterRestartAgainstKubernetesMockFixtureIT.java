package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.fixtures.kubernetes.ApiResource;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCP-CLUSTER-RESTART (OpenShift "Restarting the cluster gracefully", chapter 4) run by the real
 * CLI and the real kubectl against the Kubernetes mock fixture (fabric8's CRUD mock, not an
 * OpenShift API server). Nodes come back NotReady with pending CSRs; a kubelet stand-in in the test
 * turns a node Ready once its CSR is approved, so the runbook's bounded "while nodes are not Ready:
 * review the CSRs, approve the valid ones" loop is exercised for real.
 */
class ClusterRestartAgainstKubernetesMockFixtureIT {

  private static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
  private static final String BOOTSTRAPPER =
      "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir java.nio.file.Path tmp;
  private KubernetesFixture fixture;
  private FixtureRunner runner;
  private Thread kubelets;
  private final java.util.concurrent.atomic.AtomicReference<Throwable> kubeletFailure =
      new java.util.concurrent.atomic.AtomicReference<>();

  @BeforeEach
  void start() throws IOException {
    fixture = KubernetesFixture.start(tmp);
    fixture.addResource(
        ApiResource.clusterScoped(
            "config.openshift.io", "v1", "clusteroperators", "ClusterOperator"));
    runner = FixtureRunner.in(tmp, Map.of());
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (kubelets != null) {
      kubelets.interrupt();
      kubelets.join(TimeUnit.SECONDS.toMillis(10));
    }
    fixture.close();
  }

  private FixtureRunner.Finished restart(String readyWait) throws Exception {
    return runner.run(
        "OCP-CLUSTER-RESTART",
        List.of(
            "-p", "Kubeconfig=" + fixture.kubeconfig(),
            "-p", "StartupWait=1s",
            "-p", "ReadyWait=" + readyWait,
            "-p", "ReadyEvery=200ms",
            "--answer", "power-on-dependencies=yes",
            "--answer", "start-machines=yes"));
  }

  @Test
  void validCsrsAreApprovedTheInvalidOneIsNotAndTheClusterIsResolved() throws Exception {
    node("master-0", "master", false);
    node("master-1", "master", false);
    node("worker-0", "worker", false);
    csr("csr-master-0", "system:node:master-0", "kubernetes.io/kubelet-serving");
    csr("csr-intruder", "system:serviceaccount:default:intruder", "kubernetes.io/kubelet-serving");
    approvedCsr("csr-before-shutdown", "system:node:master-1");
    clusterOperator("etcd", false);
    clusterOperator("kube-apiserver", false);
    // Approving csr-master-0 turns the masters Ready; only then does the worker's kubelet ask for
    // its client certificate (csr-worker-0), whose approval turns the worker Ready.
    startKubelets(
        Map.of(
            "csr-master-0",
            () -> {
              markReady("master-0");
              markReady("master-1");
              csr("csr-worker-0", BOOTSTRAPPER, "kubernetes.io/kube-apiserver-client-kubelet");
            },
            "csr-worker-0",
            () -> markReady("worker-0")));

    FixtureRunner.Finished run = restart("2s");

    assertThat(kubeletFailure.get()).isNull();
    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(run.terminal()).contains("the cluster started properly");
    assertThat(approvals()).containsExactly("csr-master-0", "csr-worker-0");
    assertThat(isPending("csr-intruder")).as("the invalid CSR stays pending").isTrue();
    assertThat(conditionTypes("csr-master-0")).containsExactly("Approved");
    List<AuditEvent> trail = runner.verifiedTrail();
    assertThat(FixtureRunner.started(trail))
        .contains("wait-for-startup@1", "masters-csrs@1", "workers-csrs@1", "cluster-operators@1")
        .doesNotContain("masters-ready@3");
    assertThat(fixture.objectRequests())
        .extracting(KubeRequest::line)
        .contains(
            "GET /api/v1/nodes",
            "GET /apis/config.openshift.io/v1/clusteroperators",
            "GET " + CSRS + "/csr-intruder")
        .doesNotContain("PUT " + CSRS + "/csr-intruder/approval");
  }

  @Test
  void aDegradedClusterOperatorIsEscalatedWithoutTouchingCsrs() throws Exception {
    node("master-0", "master", true);
    node("worker-0", "worker", true);
    csr("csr-intruder", "system:serviceaccount:default:intruder", "kubernetes.io/kubelet-serving");
    clusterOperator("etcd", false);
    clusterOperator("authentication", true);

    FixtureRunner.Finished run = restart("2s");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("a cluster Operator is degraded");
    assertThat(approvals()).isEmpty();
    assertThat(fixture.objectRequests())
        .extracting(KubeRequest::line)
        .noneMatch(line -> line.contains("certificatesigningrequests"));
    runner.verifiedTrail();
  }

  @Test
  void mastersThatNeverBecomeReadyEndTheBoundedCsrLoopEscalated() throws Exception {
    node("master-0", "master", false);
    node("worker-0", "worker", true);
    csr("csr-intruder", "system:serviceaccount:default:intruder", "kubernetes.io/kubelet-serving");

    FixtureRunner.Finished run = restart("300ms");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("the master nodes did not become Ready");
    assertThat(approvals()).isEmpty();
    // max_visits 4 on masters-ready: four timed-out checks, each followed by one CSR pass; the
    // fifth visit is refused and ends the run.
    assertThat(fixture.objectRequests())
        .extracting(KubeRequest::line)
        .filteredOn(line -> line.equals("GET " + CSRS))
        .hasSize(4);
    List<AuditEvent> trail = runner.verifiedTrail();
    assertThat(FixtureRunner.started(trail))
        .contains("masters-csrs@4")
        .doesNotContain("masters-csrs@5", "workers-ready@1");
  }

  @Test
  void theDryRunShowsTheTenMinuteWaitAndTheCsrLoopAndSendsNothing() {
    Cli cli =
        Cli.run(
            "run", "OCP-CLUSTER-RESTART", "--dry-run", "-p", "Kubeconfig=" + fixture.kubeconfig());

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("[4.2 step 3] wait-for-startup  (wait)  Wait approximately 10 minutes")
        .contains("wait 10m")
        .contains("at most 4 visits")
        .contains(
            "get nodes -l node-role.kubernetes.io/master -o json",
            "certificate approve '<each csr>'",
            "get clusteroperators -o json");
    assertThat(fixture.requests()).isEmpty();
  }

  /** The CSR names kubectl sent approvals for, in order. */
  private List<String> approvals() {
    return fixture.objectRequests().stream()
        .filter(r -> r.method().equals("PUT") && r.path().endsWith("/approval"))
        .map(r -> r.path().substring(CSRS.length() + 1, r.path().length() - "/approval".length()))
        .toList();
  }

  /** Runs each action once its CSR has been approved, as kubelets react to their certificates. */
  private void startKubelets(Map<String, Runnable> onApproval) {
    kubelets =
        new Thread(
            () -> {
              List<String> waiting = new ArrayList<>(List.of("csr-master-0", "csr-worker-0"));
              waiting.retainAll(onApproval.keySet());
              long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
              while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (String csr : List.copyOf(waiting)) {
                  if (fixture.object(CSRS + "/" + csr).isPresent()
                      && conditionTypes(csr).contains("Approved")) {
                    onApproval.get(csr).run();
                    waiting.remove(csr);
                  }
                }
                try {
                  Thread.sleep(20); // a kubelet's retry interval, scaled down; bounded by deadline
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "kubelet-stand-in");
    kubelets.setUncaughtExceptionHandler((thread, e) -> kubeletFailure.set(e));
    kubelets.setDaemon(true);
    kubelets.start();
  }

  private void markReady(String node) {
    fixture.replace("/api/v1/nodes/" + node, nodeJson(node, role(node), true));
  }

  private String role(String node) {
    return node.startsWith("master") ? "master" : "worker";
  }

  private boolean isPending(String csr) {
    return conditionTypes(csr).isEmpty();
  }

  private List<String> conditionTypes(String csr) {
    String stored = fixture.object(CSRS + "/" + csr).orElseThrow();
    try {
      List<String> types = new ArrayList<>();
      for (JsonNode condition : JSON.readTree(stored).path("status").path("conditions")) {
        types.add(condition.path("type").asText());
      }
      return types;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void node(String name, String role, boolean ready) {
    fixture.create("/api/v1/nodes", nodeJson(name, role, ready));
  }

  private static String nodeJson(String name, String role, boolean ready) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{\"node-role.kubernetes.io/"
        + role
        + "\":\"\"}},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\""
        + (ready ? "True" : "Unknown")
        + "\",\"reason\":\""
        + (ready ? "KubeletReady" : "NodeStatusUnknown")
        + "\"}]}}";
  }

  private void csr(String name, String username, String signer) {
    fixture.create(CSRS, csrJson(name, username, signer, ""));
  }

  private void approvedCsr(String name, String username) {
    fixture.create(
        CSRS,
        csrJson(
            name,
            username,
            "kubernetes.io/kubelet-serving",
            ",\"status\":{\"conditions\":[{\"type\":\"Approved\",\"status\":\"True\","
                + "\"reason\":\"AutoApproved\"}]}"));
  }

  private String csrJson(String name, String username, String signer, String status) {
    String request =
        Base64.getEncoder()
            .encodeToString(
                // the kubelet's subject; the requestor (username) is who sent it
                certificateRequestPem("system:node:" + name.substring("csr-".length()))
                    .getBytes(StandardCharsets.US_ASCII));
    return "{\"apiVersion\":\"certificates.k8s.io/v1\",\"kind\":\"CertificateSigningRequest\","
        + "\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{\"request\":\""
        + request
        + "\",\"signerName\":\""
        + signer
        + "\",\"username\":\""
        + username
        + "\",\"usages\":[\"digital signature\",\"server auth\"]}"
        + status
        + "}";
  }

  /** A real PKCS#10 request, so {@code kubectl describe csr} can parse it. */
  private static String certificateRequestPem(String commonName) {
    try {
      return openssl(commonName);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String openssl(String commonName) throws IOException, InterruptedException {
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "/dev/null",
                "-subj",
                "/O=system:nodes/CN=" + commonName)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String pem = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    return pem;
  }

  private void clusterOperator(String name, boolean degraded) {
    fixture.create(
        "/apis/config.openshift.io/v1/clusteroperators",
        "{\"apiVersion\":\"config.openshift.io/v1\",\"kind\":\"ClusterOperator\",\"metadata\":"
            + "{\"name\":\""
            + name
            + "\"},\"status\":{\"conditions\":[{\"type\":\"Available\",\"status\":\"True\"},"
            + "{\"type\":\"Degraded\",\"status\":\""
            + (degraded ? "True" : "False")
            + "\"}]}}");
  }
}
