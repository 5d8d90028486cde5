package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.StepResult;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl changing objects in the Kubernetes mock fixture (fabric8's CRUD mock behind the
 * discovery kubectl needs): create, apply and a server-side dry run, status patch then wait, label,
 * delete then wait for the deletion. Each test checks what went over the wire and what the fixture
 * stored.
 */
class KubectlChangesAgainstKubernetesMockFixtureIT extends AgainstTheFixture {

  @Test
  void createNamespaceIsStored() throws Exception {
    StepResult result =
        cluster.run(cluster.target("default"), Map.of("command", "create namespace erlclu"));

    assertThat(result.data()).containsEntry("stdout", "namespace/erlclu created");
    assertThat(cluster.objectRequests()).containsExactly("POST /api/v1/namespaces");
    assertThat(cluster.fixture.object("/api/v1/namespaces/erlclu")).isPresent();
  }

  @Test
  void applyCreatesWhatGetThenReads() throws Exception {
    String ns = cluster.namespace();
    Path manifest = manifest(ns, "erlclu:2");

    StepResult applied =
        cluster.run(
            cluster.target(ns),
            Map.of("args", List.of("apply", "--validate=false", "-f", manifest.toString())));
    StepResult read =
        cluster.run(cluster.target(ns), Map.of("command", "get pod web", "output", "json"));

    assertThat(applied.data()).containsEntry("stdout", "pod/web created");
    assertThat(cluster.objectRequests())
        .containsExactly(
            "GET /api/v1/namespaces/" + ns + "/pods/web",
            "GET /api/v1/namespaces/" + ns,
            "POST /api/v1/namespaces/" + ns + "/pods",
            "GET /api/v1/namespaces/" + ns + "/pods/web");
    Map<?, ?> json = (Map<?, ?>) read.data().get("json");
    assertThat(((Map<?, ?>) json.get("metadata")).get("labels")).isEqualTo(Map.of("app", "web"));
    assertThat(read.data()).containsEntry("count", 1L).containsEntry("names", List.of("web"));
  }

  @Test
  void aServerDryRunIsSentAsOneAndStoresNothing() throws Exception {
    String ns = cluster.namespace();
    Path manifest = manifest(ns, "erlclu:2");

    StepResult result =
        cluster.run(
            cluster.target(ns),
            Map.of(
                "args",
                List.of("apply", "--validate=false", "-f", manifest.toString()),
                "server_dry_run",
                true));

    assertThat(result.data()).containsEntry("stdout", "pod/web created (server dry run)");
    KubeRequest post = cluster.fixture.objectRequests().get(2);
    assertThat(post.line()).isEqualTo("POST /api/v1/namespaces/" + ns + "/pods");
    assertThat(post.queryValues("dryRun")).containsExactly("All");
    assertThat(cluster.fixture.object("/api/v1/namespaces/" + ns + "/pods/web")).isEmpty();
  }

  @Test
  void aStatusPatchedReadyIsWhatWaitThenSees() throws Exception {
    String ns = cluster.namespace();
    cluster.pod(ns, "web", "{\"phase\":\"Pending\"}");
    String status =
        "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";

    StepResult patched =
        cluster.run(
            cluster.target(ns),
            Map.of(
                "args",
                List.of(
                    "patch", "pod", "web", "--subresource=status", "--type=merge", "-p", status)));
    StepResult waited =
        cluster.run(cluster.target(ns), Map.of("command", "wait pod/web --for=condition=Ready"));
    StepResult phase =
        cluster.run(cluster.target(ns), Map.of("command", "get pod web", "output", "json"));

    assertThat(patched.data()).containsEntry("stdout", "pod/web patched");
    KubeRequest patch = cluster.fixture.objectRequests().get(1);
    assertThat(patch.line()).isEqualTo("PATCH /api/v1/namespaces/" + ns + "/pods/web/status");
    assertThat(patch.body()).isEqualTo(status);
    assertThat(waited.failure()).isEmpty();
    assertThat(waited.data())
        .containsEntry("stdout", "pod/web condition met")
        .containsEntry("stderr", "");
    Map<?, ?> json = (Map<?, ?>) phase.data().get("json");
    assertThat(((Map<?, ?>) json.get("status")).get("phase")).isEqualTo("Running");
  }

  @Test
  void labelSendsAMergePatch() throws Exception {
    String ns = cluster.namespace();
    cluster.pod(ns, "web", "{}");

    StepResult result = cluster.run(cluster.target(ns), Map.of("command", "label pod web tier=db"));

    assertThat(result.data()).containsEntry("stdout", "pod/web labeled");
    KubeRequest patch = cluster.fixture.objectRequests().get(1);
    assertThat(patch.line()).isEqualTo("PATCH /api/v1/namespaces/" + ns + "/pods/web");
    assertThat(patch.contentType()).isEqualTo("application/merge-patch+json");
    assertThat(patch.body()).isEqualTo("{\"metadata\":{\"labels\":{\"tier\":\"db\"}}}");
    assertThat(cluster.fixture.object("/api/v1/namespaces/" + ns + "/pods/web").orElseThrow())
        .contains("\"labels\":{\"app\":\"erlclu\",\"tier\":\"db\"}");
  }

  @Test
  void deleteThenWaitForTheDeletion() throws Exception {
    String ns = cluster.namespace();
    cluster.pod(ns, "web", "{}");

    StepResult deleted = cluster.run(cluster.target(ns), Map.of("command", "delete pod web"));
    StepResult gone =
        cluster.run(cluster.target(ns), Map.of("command", "wait pod/web --for=delete"));

    assertThat(deleted.data()).containsEntry("stdout", "pod \"web\" deleted");
    assertThat(gone.failure()).isEmpty();
    assertThat(cluster.objectRequests()).contains("DELETE /api/v1/namespaces/" + ns + "/pods/web");
    assertThat(cluster.fixture.object("/api/v1/namespaces/" + ns + "/pods/web")).isEmpty();
  }

  @Test
  void reapplyingAChangedManifestUpdatesTheObject() throws Exception {
    String ns = cluster.namespace();
    List<String> apply = List.of("apply", "--validate=false", "-f");
    cluster.run(cluster.target(ns), Map.of("args", concat(apply, manifest(ns, "erlclu:1"))));

    StepResult result =
        cluster.run(cluster.target(ns), Map.of("args", concat(apply, manifest(ns, "erlclu:2"))));
    StepResult image =
        cluster.run(
            cluster.target(ns),
            Map.of("command", "get pod web -o jsonpath='{.spec.containers[*].image}'"));

    assertThat(result.data()).containsEntry("stdout", "pod/web configured");
    assertThat(image.data()).containsEntry("stdout", "erlclu:2");
  }

  private static List<String> concat(List<String> args, Path file) {
    return Stream.concat(args.stream(), Stream.of(file.toString())).toList();
  }

  private static Path manifest(String ns, String image) throws IOException {
    return Files.writeString(
        dir.resolve(ns + "-" + image.replace(':', '-') + ".yaml"),
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Pod",
            "metadata: {name: web, namespace: " + ns + ", labels: {app: web}}",
            "spec:",
            "  containers: [{name: main, image: '" + image + "'}]",
            ""));
  }
}
