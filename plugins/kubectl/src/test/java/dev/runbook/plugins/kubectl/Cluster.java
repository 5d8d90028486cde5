package dev.runbook.plugins.kubectl;

import dev.runbook.api.ActionRequest;
import dev.runbook.api.StepResult;
import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.testkit.FakeActionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real kubectl, its transport and the Kubernetes mock fixture it talks to, for the kubectl
 * action's integration tests. kubectl's discovery cache goes to the test's directory, not $HOME.
 */
final class Cluster {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  final KubernetesFixture fixture;
  final WithEnvironment transport;
  final Path dir;
  private final KubectlAction action = new KubectlAction();

  Cluster(KubernetesFixture fixture, Path dir) {
    this.fixture = fixture;
    this.dir = dir;
    this.transport = new WithEnvironment(Map.of("KUBECACHEDIR", dir.resolve("cache").toString()));
  }

  /** A kubectl target for the fixture's kubeconfig and context, in {@code namespace}. */
  Target target(String namespace) {
    return target(Map.of("namespace", namespace));
  }

  Target target(Map<String, String> settings) {
    Map<String, String> properties = new HashMap<>();
    properties.put("kubeconfig", fixture.kubeconfig().toString());
    properties.put("context", KubernetesFixture.CONTEXT);
    properties.putAll(settings);
    return new Target("cluster", "kubectl", properties);
  }

  StepResult run(Target target, Map<String, Object> inputs) throws InterruptedException {
    return run(target, inputs, context(transport));
  }

  /** The testkit's fake context for one step through {@code transport}, with a minute's limit. */
  static FakeActionContext context(Transport transport) {
    return FakeActionContext.through(transport, Duration.ofSeconds(60));
  }

  StepResult run(Target target, Map<String, Object> inputs, FakeActionContext context)
      throws InterruptedException {
    return action.execute(new ActionRequest("step", inputs, target, true), context);
  }

  /** A new, empty namespace, stored directly in the fixture. */
  String namespace() {
    String name = "ns" + NAMESPACES.incrementAndGet();
    fixture.create(
        "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}");
    return name;
  }

  /** A pod {@code name} with label {@code app=erlclu} and the given status JSON. */
  void pod(String namespace, String name, String status) {
    fixture.create(
        "/api/v1/namespaces/" + namespace + "/pods",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\""
            + namespace
            + "\",\"labels\":{\"app\":\"erlclu\"}},\"spec\":{\"containers\":[{\"name\":\"main\","
            + "\"image\":\"erlclu:1\"}]},\"status\":"
            + status
            + "}");
  }

  /** {@code METHOD path} of each request that read or changed objects, discovery left out. */
  List<String> objectRequests() {
    return fixture.objectRequests().stream().map(KubeRequest::line).toList();
  }
}
