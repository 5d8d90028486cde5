package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Nodes and certificate signing requests in the Kubernetes mock fixture, as a cluster coming back
 * from a shutdown (or from expired certificates) shows them, and the kubelets that wait for their
 * CSRs to be approved. Each CSR carries a real PKCS#10 request (openssl), whose subject names the
 * node, so {@code kubectl describe csr} and a runbook's openssl can read it.
 */
final class CsrObjects {

  static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
  static final String BOOTSTRAPPER =
      "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper";
  static final String CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
  static final String SERVING_SIGNER = "kubernetes.io/kubelet-serving";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesFixture fixture;
  private final AtomicReference<Throwable> kubeletFailure = new AtomicReference<>();
  private Thread kubelets;

  CsrObjects(KubernetesFixture fixture) {
    this.fixture = fixture;
  }

  void node(String name, String role, boolean ready) {
    fixture.create("/api/v1/nodes", nodeJson(name, role, ready));
  }

  void markReady(String node) {
    fixture.replace("/api/v1/nodes/" + node, nodeJson(node, role(node), true));
  }

  private static String role(String node) {
    return node.startsWith("master") ? "master" : "worker";
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

  /** A pending CSR sent by {@code username} for the certificate of {@code node}. */
  void pending(String name, String username, String node, String signer) {
    fixture.create(CSRS, csrJson(name, username, node, signer, ""));
  }

  void approved(String name, String username, String node) {
    fixture.create(
        CSRS,
        csrJson(
            name,
            username,
            node,
            SERVING_SIGNER,
            ",\"status\":{\"conditions\":[{\"type\":\"Approved\",\"status\":\"True\","
                + "\"reason\":\"AutoApproved\"}]}"));
  }

  boolean isPending(String csr) {
    return conditionTypes(csr).isEmpty();
  }

  List<String> conditionTypes(String csr) {
    String stored = fixture.object(CSRS + "/" + csr).orElseThrow();
    try {
      List<String> types = new ArrayList<>();
      for (JsonNode condition : JSON.readTree(stored).path("status").path("conditions")) {
        types.add(condition.path("type").asText());
      }
      return types;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CSR names kubectl sent approvals for, in order. */
  List<String> approvals() {
    return fixture.objectRequests().stream()
        .filter(r -> r.method().equals("PUT") && r.path().endsWith("/approval"))
        .map(r -> r.path().substring(CSRS.length() + 1, r.path().length() - "/approval".length()))
        .toList();
  }

  List<String> requestLines() {
    return fixture.objectRequests().stream().map(KubeRequest::line).toList();
  }

  /**
   * Runs each action {@code lag} after its CSR has been approved, as kubelets react to their new
   * certificates (never at once), until every one has run or 90 s have passed.
   */
  void startKubelets(Map<String, Runnable> onApproval, Duration lag) {
    kubelets =
        new Thread(
            () -> {
              List<String> waiting = new ArrayList<>(onApproval.keySet());
              long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
              while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (String csr : List.copyOf(waiting)) {
                  if (fixture.object(CSRS + "/" + csr).isPresent()
                      && conditionTypes(csr).contains("Approved")) {
                    try {
                      Thread.sleep(lag.toMillis()); // the kubelet picks its certificate up late
                    } catch (InterruptedException e) {
                      return;
                    }
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

  Throwable kubeletFailure() {
    return kubeletFailure.get();
  }

  void stopKubelets() throws InterruptedException {
    if (kubelets != null) {
      kubelets.interrupt();
      kubelets.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  private static String csrJson(
      String name, String username, String node, String signer, String status) {
    String request =
        Base64.getEncoder()
            .encodeToString(
                certificateRequestPem("system:node:" + node).getBytes(StandardCharsets.US_ASCII));
    return "{\"apiVersion\":\"certificates.k8s.io/v1\",\"kind\":\"CertificateSigningRequest\","
        + "\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{\"request\":\""
        + request
        + "\",\"signerName\":\""
        + signer
        + "\",\"username\":\""
        + username
        + "\",\"usages\":[\"digital signature\",\"client auth\"]}"
        + status
        + "}";
  }

  /** A real PKCS#10 request whose subject is the kubelet's: O=system:nodes, CN=commonName. */
  private static String certificateRequestPem(String commonName) {
    try {
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
