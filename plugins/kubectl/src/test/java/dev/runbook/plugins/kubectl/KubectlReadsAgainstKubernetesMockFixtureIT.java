package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepResult;
import dev.runbook.api.Target;
import dev.runbook.fixtures.kubernetes.ExecResult;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl reading objects from the Kubernetes mock fixture (fabric8's CRUD mock with the
 * discovery kubectl needs; not a real API server): JSON, jsonpath and name output, decoded secret
 * data, exec into a pod, and {@code oc} as the binary.
 */
class KubectlReadsAgainstKubernetesMockFixtureIT extends AgainstTheFixture {

  @Test
  void getWithJsonOutputGivesConditionsTheParsedList() throws Exception {
    String ns = cluster.namespace();
    cluster.pod(ns, "erl-0", "{\"phase\":\"Running\"}");
    cluster.pod(ns, "erl-1", "{\"phase\":\"Pending\"}");

    StepResult result =
        cluster.run(
            cluster.target(ns),
            Map.of("args", List.of("get", "pods", "-l", "app=erlclu"), "output", "json"));

    assertThat(result.failure()).isEmpty();
    assertThat(result.data())
        .containsEntry("exitCode", 0L)
        .containsEntry("stderr", "")
        .containsEntry("count", 2L)
        .containsEntry("names", List.of("erl-0", "erl-1"));
    List<?> items = (List<?>) ((Map<?, ?>) result.data().get("json")).get("items");
    assertThat(
            items.stream()
                .<Object>map(i -> ((Map<?, ?>) ((Map<?, ?>) i).get("status")).get("phase")))
        .containsExactly("Running", "Pending");
    KubeRequest list = cluster.fixture.objectRequests().get(0);
    assertThat(cluster.objectRequests()).containsExactly("GET /api/v1/namespaces/" + ns + "/pods");
    assertThat(list.queryValues("labelSelector")).containsExactly("app=erlclu");
    assertThat(list.queryValues("timeout")).containsExactly("30s");
  }

  @Test
  void theShorthandLineKeepsAQuotedJsonpathAsOneWord() throws Exception {
    String ns = cluster.namespace();
    cluster.pod(ns, "erl-0", "{\"phase\":\"Running\"}");
    cluster.pod(ns, "erl-1", "{\"phase\":\"Pending\"}");

    StepResult result =
        cluster.run(
            cluster.target(ns),
            Map.of(
                "command",
                "kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}={.status.phase}"
                    + " {end}'"));

    assertThat(result.failure()).isEmpty();
    assertThat(result.data()).containsEntry("stdout", "erl-0=Running erl-1=Pending ");
    assertThat(result.data()).doesNotContainKeys("json", "count");
  }

  @Test
  void nameOutputListsKindSlashName() throws Exception {
    String ns = cluster.namespace();
    cluster.pod(ns, "erl-0", "{}");

    StepResult result =
        cluster.run(cluster.target(ns), Map.of("command", "get pods", "output", "name"));

    assertThat(result.data())
        .containsEntry("stdout", "pod/erl-0")
        .containsEntry("count", 1L)
        .containsEntry("names", List.of("pod/erl-0"));
  }

  @Test
  void aTlsSecretCreatedWithKubectlIsReadBackWithItsDataDecoded() throws Exception {
    String ns = cluster.namespace();
    Path crt = dir.resolve("ca.crt");
    Path key = dir.resolve("ca.key");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=erlclu-ca",
                "-keyout",
                key.toString(),
                "-out",
                crt.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    assertThat(openssl.waitFor()).as("openssl exit status").isZero();

    StepResult created =
        cluster.run(
            cluster.target(ns),
            Map.of(
                "args",
                List.of("create", "secret", "tls", "erlclu-ca", "--cert=" + crt, "--key=" + key)));
    StepResult read =
        cluster.run(
            cluster.target(ns), Map.of("command", "get secret erlclu-ca", "output", "json"));

    assertThat(created.data()).containsEntry("stdout", "secret/erlclu-ca created");
    KubeRequest create = cluster.fixture.objectRequests().get(0);
    assertThat(create.line()).isEqualTo("POST /api/v1/namespaces/" + ns + "/secrets");
    assertThat(create.contentType()).isEqualTo("application/vnd.kubernetes.protobuf");
    assertThat(read.failure()).isEmpty();
    assertThat(read.data().get("data"))
        .isEqualTo(Map.of("tls.crt", Files.readString(crt), "tls.key", Files.readString(key)));
    assertThat(((Map<?, ?>) read.data().get("json")).get("type")).isEqualTo("kubernetes.io/tls");
  }

  @Test
  void execRunsTheCommandInThePodAndReturnsItsOutput() throws Exception {
    String ns = cluster.namespace();
    cluster.pod(ns, "etcd-0", "{\"phase\":\"Running\"}");
    cluster.fixture.onExec(
        (namespace, pod, container, command) ->
            ExecResult.ok(namespace + "/" + pod + "/" + container + ": " + command + "\n"));

    StepResult result =
        cluster.run(
            cluster.target(ns),
            Map.of(
                "args",
                List.of("exec", "etcd-0", "-c", "main", "--", "etcdctl", "member", "list"),
                "timeout",
                Duration.ofSeconds(20)));

    assertThat(result.failure()).isEmpty();
    assertThat(result.data())
        .containsEntry("stdout", ns + "/etcd-0/main: [etcdctl, member, list]")
        .containsEntry("stderr", "");
    KubeRequest exec = cluster.fixture.objectRequests().get(1);
    assertThat(exec.line()).isEqualTo("GET /api/v1/namespaces/" + ns + "/pods/etcd-0/exec");
    assertThat(exec.queryValues("command")).containsExactly("etcdctl", "member", "list");
    assertThat(exec.queryValues("timeout")).containsExactly("20s");
  }

  @Test
  void aFailingCommandInThePodIsANonZeroExitWithItsStatus() throws Exception {
    String ns = cluster.namespace();
    cluster.pod(ns, "etcd-0", "{\"phase\":\"Running\"}");
    cluster.fixture.onExec(
        (namespace, pod, container, command) -> new ExecResult("", "member unhealthy\n", 3));

    StepResult result =
        cluster.run(
            cluster.target(ns), Map.of("command", "exec etcd-0 -- etcdctl endpoint health"));

    assertThat(result.failure().orElseThrow().kind()).isEqualTo(FailureKind.NON_ZERO_EXIT);
    assertThat(result.failure().orElseThrow().message())
        .isEqualTo("exited with status 3: command terminated with exit code 3");
    assertThat(result.data())
        .containsEntry("exitCode", 3L)
        .containsEntry("stderr", "member unhealthy\ncommand terminated with exit code 3");
  }

  @Test
  void theTargetsBinaryOcIsWhatRuns() throws Exception {
    String ns = cluster.namespace();
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path log = dir.resolve("oc.log");
    Path oc = bin.resolve("oc");
    Files.writeString(oc, "#!/bin/sh\necho \"oc $*\" >> '" + log + "'\nexec kubectl \"$@\"\n");
    Files.setPosixFilePermissions(oc, PosixFilePermissions.fromString("rwxr-xr-x"));
    WithEnvironment withOc =
        new WithEnvironment(
            Map.of(
                "PATH",
                bin + ":" + System.getenv("PATH"),
                "KUBECACHEDIR",
                dir.resolve("cache").toString()));
    Target target = cluster.target(Map.of("namespace", ns, "binary", "oc"));

    StepResult result =
        cluster.run(
            target, Map.of("command", "oc get pods", "output", "name"), Cluster.context(withOc));

    assertThat(result.failure()).isEmpty();
    assertThat(Files.readString(log))
        .isEqualTo(
            "oc --kubeconfig="
                + cluster.fixture.kubeconfig()
                + " --context=fixture --namespace="
                + ns
                + " --request-timeout=30s get pods -o name\n");
    assertThat(cluster.objectRequests()).containsExactly("GET /api/v1/namespaces/" + ns + "/pods");
  }
}
