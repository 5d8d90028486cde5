package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.StepFailure;
import dev.runbook.api.StepResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the real kubectl fails, classified: against the Kubernetes mock fixture (not found,
 * forbidden, a condition that never holds), a closed port, a server that never answers, a missing
 * binary, a wrong context.
 */
class KubectlFailuresAgainstKubernetesMockFixtureIT extends AgainstTheFixture {

  @Test
  void aMissingObjectIsNotFound() throws Exception {
    String ns = cluster.namespace();

    StepResult result = cluster.run(cluster.target(ns), Map.of("command", "get pod erl-9"));

    assertThat(failure(result))
        .isEqualTo(
            "not-found: exited with status 1: Error from server (NotFound): pods \"erl-9\" not"
                + " found");
    assertThat(cluster.objectRequests())
        .containsExactly(
            "GET /api/v1/namespaces/" + ns + "/pods/erl-9", "GET /api/v1/namespaces/" + ns);
  }

  @Test
  void aRefusedReadIsForbidden() throws Exception {
    String ns = cluster.namespace();
    cluster.fixture.refuse("GET", "/api/v1/namespaces/" + ns + "/secrets");

    StepResult result =
        cluster.run(cluster.target(ns), Map.of("command", "get secret erlclu-ca -o json"));

    assertThat(failure(result))
        .isEqualTo(
            "forbidden: exited with status 1: Error from server (Forbidden): secrets \"erlclu-ca\""
                + " is forbidden: User \"runbook-test\" cannot get resource \"secrets\" in API group"
                + " \"\" in the namespace \""
                + ns
                + "\"");
    assertThat(result.data()).containsEntry("exitCode", 1L).doesNotContainKey("json");
  }

  @Test
  void aConditionThatNeverHoldsTimesOutAtWaitsDeadline() throws Exception {
    String ns = cluster.namespace();
    cluster.pod(ns, "erl-0", "{\"phase\":\"Pending\"}");

    StepResult result =
        cluster.run(
            cluster.target(ns),
            Map.of(
                "args",
                List.of("wait", "pod/erl-0", "--for=condition=Ready"),
                "timeout",
                Duration.ofSeconds(1)));

    assertThat(failure(result))
        .isEqualTo(
            "timeout: exited with status 1: error: timed out waiting for the condition on"
                + " pods/erl-0");
  }

  @Test
  void aClosedPortIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path kubeconfig = kubeconfig("closed", port);

    StepResult result =
        cluster.run(
            cluster.target(Map.of("kubeconfig", kubeconfig.toString())),
            Map.of("command", "get pods"));

    assertThat(failure(result))
        .isEqualTo(
            "connect: exited with status 1: The connection to the server 127.0.0.1:"
                + port
                + " was refused - did you specify the right host or port?");
  }

  @Test
  void aServerThatNeverAnswersTimesOutAtTheRequestTimeout() throws Exception {
    // The kernel accepts connections into the backlog; nothing ever reads or answers them.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Path kubeconfig = kubeconfig("silent", silent.getLocalPort());

      StepResult result =
          cluster.run(
              cluster.target(Map.of("kubeconfig", kubeconfig.toString())),
              Map.of("command", "get pods", "timeout", Duration.ofSeconds(1)));

      // kubectl words the timeout three ways, depending on a race inside it.
      assertThat(failure(result))
          .matches(
              "timeout: exited with status 1: Unable to connect to the server: (context deadline"
                  + " exceeded|net/http: request canceled)( \\(Client\\.Timeout exceeded while"
                  + " awaiting headers\\))?");
    }
  }

  @Test
  void aMissingBinaryIsAConfigErrorThatSaysHowToInstallIt() throws Exception {
    StepResult result =
        cluster.run(
            cluster.target(Map.of("binary", "/nonexistent/kubectl")),
            Map.of("command", "get nodes"));

    assertThat(failure(result))
        .isEqualTo(
            "config: cannot start /nonexistent/kubectl: No such file or directory; install kubectl"
                + " (the Kubernetes CLI) on this machine, or set 'binary' in the target's kubectl:"
                + " mapping to where it is");
  }

  @Test
  void anUnknownContextIsAConfigError() throws Exception {
    StepResult result =
        cluster.run(cluster.target(Map.of("context", "prod")), Map.of("command", "get nodes"));

    assertThat(failure(result))
        .isEqualTo(
            "config: exited with status 1: Error in configuration: context was not found for"
                + " specified context: prod");
    assertThat(cluster.fixture.requests()).isEmpty();
  }

  @Test
  void aKindTheClusterDoesNotServeIsNotFound() throws Exception {
    StepResult result = cluster.run(cluster.target("default"), Map.of("command", "get etcd"));

    assertThat(failure(result))
        .isEqualTo(
            "not-found: exited with status 1: error: the server doesn't have a resource type"
                + " \"etcd\"");
  }

  @Test
  void aPipeIsRefusedBeforeAnythingRuns() throws Exception {
    StepResult result =
        cluster.run(
            cluster.target("default"), Map.of("command", "get pods -n openshift-etcd | grep etcd"));

    assertThat(failure(result))
        .isEqualTo(
            "config: '|' needs a shell, and kubectl runs without one: use jsonpath and a"
                + " condition, or a shell step, in: get pods -n openshift-etcd | grep etcd");
    assertThat(cluster.fixture.requests()).isEmpty();
  }

  private static String failure(StepResult result) {
    StepFailure failure = result.failure().orElseThrow(() -> new AssertionError(result.data()));
    return failure.toString();
  }

  private static Path kubeconfig(String name, int port) throws IOException {
    return Files.writeString(
        dir.resolve(name + ".kubeconfig"),
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters: [{name: c, cluster: {server: 'http://127.0.0.1:" + port + "'}}]",
            "users: [{name: u, user: {}}]",
            "contexts: [{name: fixture, context: {cluster: c, user: u}}]",
            "current-context: fixture",
            ""));
  }
}
