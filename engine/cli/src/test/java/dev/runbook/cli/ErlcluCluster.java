package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.fixtures.TestCertificates;
import dev.runbook.fixtures.kubernetes.ExecResult;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The document's erlclu cluster in the Kubernetes mock fixture: the namespace {@code erlclu}, the
 * secret {@code erlclu-ca-key-pair} with the CA key pair, the deployment {@code erlclu} and three
 * of its pods (label {@code app=erlclu}, container {@code erlclu}, init container {@code
 * erlclu-init}).
 *
 * <p>The fixture runs nothing in pods, so this class answers {@code kubectl exec} as the pods
 * would: {@code date -u +%s} is the test's clock plus the pod's skew, and {@code cat
 * /certs/tls-dist.crt} is the node certificate the test gave, until the secret holds another CA and
 * the deployment was made anew (deleted and applied): then, once the new pods had {@link
 * #POD_START} to start (pods of the old deployment answer meanwhile, as they would while they
 * terminate), a certificate that {@link CertManagerStandIn} signs as the test's {@link CertManager}
 * says. Anything else exits 127.
 */
final class ErlcluCluster {

  static final String NAMESPACE = "erlclu";
  static final String SECRET = "/api/v1/namespaces/erlclu/secrets/erlclu-ca-key-pair";
  static final String DEPLOYMENT = "/apis/apps/v1/namespaces/erlclu/deployments/erlclu";
  static final List<String> PODS =
      List.of("erlclu-54b96fdb7c-tdtcl", "erlclu-54b96fdb7c-8xkqp", "erlclu-54b96fdb7c-v2m9z");
  static final String IMAGE = "registry.example/erlclu:0.1.0";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> DATE = List.of("date", "-u", "+%s");
  private static final List<String> CAT_NODE_CERT = List.of("cat", "/certs/tls-dist.crt");

  /** How long the new deployment's pods take to start, from the first look after the redeploy. */
  static final Duration POD_START = Duration.ofMillis(1500);

  private final KubernetesFixture fixture;
  private final Optional<String> originalDeployment;
  private volatile Instant redeploySeenAt;
  private final String originalCa;
  private final String nodeCertificate;
  private final Map<String, Duration> skews = new ConcurrentHashMap<>();
  private final Map<String, String> issuedByCa = new ConcurrentHashMap<>();
  private final TestCertificates.Issued ca;
  private volatile CertManager certManager = CertManager.ISSUES_FROM_THE_SECRET;

  /** What pods started after the secret changed present as their node certificate. */
  enum CertManager {
    /** A certificate signed by the CA now in the secret, as cert-manager's CA issuer does. */
    ISSUES_FROM_THE_SECRET,
    /** A new certificate, but signed by the CA the secret held before (a stale issuer). */
    KEEPS_THE_OLD_CA,
    /** No new certificate: the pods present the one they had. */
    STOPPED
  }

  private ErlcluCluster(
      KubernetesFixture fixture, TestCertificates.Issued ca, String nodeCertificate) {
    this.fixture = fixture;
    this.ca = ca;
    this.originalCa = ca.pem();
    this.nodeCertificate = nodeCertificate;
    this.originalDeployment = fixture.object(DEPLOYMENT);
  }

  /** Stores the namespace, the CA's secret, the deployment and its pods; answers exec. */
  static ErlcluCluster seed(
      KubernetesFixture fixture, TestCertificates.Issued ca, TestCertificates.Issued node) {
    ErlcluCluster cluster = seedWithoutPods(fixture, ca, node);
    for (String pod : PODS) {
      fixture.create("/api/v1/namespaces/erlclu/pods", podJson(pod));
    }
    return cluster;
  }

  /** Only namespace {@code erlclu} with its pod {@code erlclu-0} running: what kubectl reads. */
  static void runningPod(KubernetesFixture fixture) {
    fixture.create(
        "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"erlclu\"}}");
    fixture.create(
        "/api/v1/namespaces/erlclu/pods",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"erlclu-0\","
            + "\"namespace\":\"erlclu\"},\"status\":{\"phase\":\"Running\"}}");
  }

  /** As {@link #seed}, but the deployment has no pods (none is running). */
  static ErlcluCluster seedWithoutPods(
      KubernetesFixture fixture, TestCertificates.Issued ca, TestCertificates.Issued node) {
    fixture.create(
        "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"erlclu\"}}");
    fixture.create(
        "/api/v1/namespaces/erlclu/secrets",
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"kubernetes.io/tls\","
            + "\"metadata\":{\"name\":\"erlclu-ca-key-pair\",\"namespace\":\"erlclu\"},"
            + "\"data\":{\"tls.crt\":\""
            + base64(ca.pem())
            + "\",\"tls.key\":\""
            + base64(ca.privateKeyPem())
            + "\"}}");
    fixture.create("/apis/apps/v1/namespaces/erlclu/deployments", deploymentJson());
    ErlcluCluster cluster = new ErlcluCluster(fixture, ca, node.pem());
    fixture.onExec((namespace, pod, container, command) -> cluster.exec(pod, container, command));
    return cluster;
  }

  private static String podJson(String pod) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
        + pod
        + "\",\"namespace\":\"erlclu\",\"labels\":{\"app\":\"erlclu\"}},"
        + "\"spec\":{\"initContainers\":[{\"name\":\"erlclu-init\",\"image\":\""
        + IMAGE
        + "\"}],\"containers\":[{\"name\":\"erlclu\",\"image\":\""
        + IMAGE
        + "\"}]},\"status\":{\"phase\":\"Running\"}}";
  }

  private static String deploymentJson() {
    return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"erlclu\","
        + "\"namespace\":\"erlclu\",\"labels\":{\"app\":\"erlclu\"}},\"spec\":{\"replicas\":3,"
        + "\"selector\":{\"matchLabels\":{\"app\":\"erlclu\"}},\"template\":{\"metadata\":"
        + "{\"labels\":{\"app\":\"erlclu\"}},\"spec\":{\"containers\":[{\"name\":\"erlclu\","
        + "\"image\":\""
        + IMAGE
        + "\"}]}}}}";
  }

  /** The document's {@code k8s/deployment.yaml}, written to {@code file}. */
  static Path writeDeploymentManifest(Path file) throws IOException {
    return Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata: {name: erlclu, namespace: erlclu, labels: {app: erlclu}}",
            "spec:",
            "  replicas: 3",
            "  selector: {matchLabels: {app: erlclu}}",
            "  template:",
            "    metadata: {labels: {app: erlclu}}",
            "    spec:",
            "      initContainers: [{name: erlclu-init, image: '" + IMAGE + "'}]",
            "      containers: [{name: erlclu, image: '" + IMAGE + "'}]",
            ""));
  }

  /** From now on {@code date} in {@code pod} prints the test's clock plus {@code skew}. */
  void skewClock(String pod, Duration skew) {
    skews.put(pod, skew);
  }

  /** How node certificates come once the secret holds another CA. */
  void certManager(CertManager behaviour) {
    this.certManager = behaviour;
  }

  /** The secret's {@code data}, each value base64-decoded; empty when there is no such secret. */
  Optional<Map<String, String>> secretData() {
    return fixture
        .object(SECRET)
        .map(
            json -> {
              try {
                JsonNode data = JSON.readTree(json).path("data");
                Map<String, String> decoded = new LinkedHashMap<>();
                data.fields()
                    .forEachRemaining(e -> decoded.put(e.getKey(), decode(e.getValue().asText())));
                return decoded;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  private ExecResult exec(String pod, String container, List<String> command) {
    if (!container.equals("erlclu")) {
      return new ExecResult("", "error: container '" + container + "' is not erlclu\n", 1);
    }
    if (command.equals(DATE)) {
      Instant now = Instant.now().plus(skews.getOrDefault(pod, Duration.ZERO));
      return ExecResult.ok(now.getEpochSecond() + "\n");
    }
    if (command.equals(CAT_NODE_CERT)) {
      return ExecResult.ok(nodeCertificateOf(pod));
    }
    return new ExecResult("", "sh: " + String.join(" ", command) + ": not found\n", 127);
  }

  private String nodeCertificateOf(String pod) {
    Map<String, String> data = secretData().orElse(Map.of());
    String current = data.get("tls.crt");
    if (certManager == CertManager.STOPPED
        || current == null
        || current.equals(originalCa)
        || !newPodsStarted()) {
      return nodeCertificate;
    }
    return certManager == CertManager.KEEPS_THE_OLD_CA
        ? issuedByCa.computeIfAbsent(
            originalCa,
            pem -> CertManagerStandIn.nodeCertificate(pem, ca.privateKeyPem(), "CN=" + pod))
        : issuedByCa.computeIfAbsent(
            current,
            pem -> CertManagerStandIn.nodeCertificate(pem, data.get("tls.key"), "CN=" + pod));
  }

  /**
   * Whether the deployment was made anew since the cluster was seeded, and its pods had time to
   * start since that was first seen.
   */
  private boolean newPodsStarted() {
    Optional<String> deployment = fixture.object(DEPLOYMENT);
    if (deployment.isEmpty() || deployment.equals(originalDeployment)) {
      return false;
    }
    if (redeploySeenAt == null) {
      redeploySeenAt = Instant.now();
    }
    return !Instant.now().isBefore(redeploySeenAt.plus(POD_START));
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
