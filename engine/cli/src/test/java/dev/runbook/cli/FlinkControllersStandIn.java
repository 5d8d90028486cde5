package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays the controllers of a Kubernetes cluster running the Flink Kubernetes Operator, for
 * FLINK-HA-K8S's tests against the Kubernetes mock fixture (which runs no controller): it polls the
 * fixture's store and reacts as they would, each reaction {@link #LAG} after its trigger was first
 * seen, never at once. The operator's pod starts when its Deployment is applied; PVCs bind as
 * {@link Binding} says; a FlinkDeployment gets its pods, and turns READY once the PVCs its pods
 * mount (the persistent cluster's) are Bound. One thread, bounded in time and by {@link #close()}.
 */
final class FlinkControllersStandIn implements AutoCloseable {

  static final String NS = "freeleaps-data-platform";
  static final String FLINKDEPLOYMENTS =
      "/apis/flink.apache.org/v1beta1/namespaces/" + NS + "/flinkdeployments";
  static final String PVCS = "/api/v1/namespaces/" + NS + "/persistentvolumeclaims";
  static final String OPERATOR =
      "/apis/apps/v1/namespaces/flink-system/deployments/flink-kubernetes-operator";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** When the PVCs bind: at once, when a pod mounts them (WaitForFirstConsumer), or never. */
  enum Binding {
    IMMEDIATE,
    FIRST_CONSUMER,
    NEVER
  }

  /** How the controller stand-in behaves in one test. */
  record Cluster(boolean operatorBecomesReady, Binding pvcs, boolean flinkBecomesReady) {
    Cluster(boolean operatorBecomesReady, Binding pvcs) {
      this(operatorBecomesReady, pvcs, true);
    }
  }

  /** Every controller reaction comes this late after what triggers it, as in a real cluster. */
  private static final Duration LAG = Duration.ofMillis(300);

  /** What the controllers did, in order ("pvc bound flink-ha-data", "pods of …"). */
  private final List<String> timeline = new CopyOnWriteArrayList<>();

  private final KubernetesFixture fixture;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private Thread thread;

  private FlinkControllersStandIn(KubernetesFixture fixture) {
    this.fixture = fixture;
  }

  /** Starts playing the controllers of a cluster that behaves as {@code cluster} says. */
  static FlinkControllersStandIn start(KubernetesFixture fixture, Cluster cluster) {
    FlinkControllersStandIn controllers = new FlinkControllersStandIn(fixture);
    controllers.thread = new Thread(() -> controllers.loop(cluster), "controller-stand-in");
    controllers.thread.setUncaughtExceptionHandler((thread, e) -> controllers.failure.set(e));
    controllers.thread.setDaemon(true);
    controllers.thread.start();
    return controllers;
  }

  List<String> timeline() {
    return List.copyOf(timeline);
  }

  /** The first error of its thread, or null. */
  Throwable failure() {
    return failure.get();
  }

  private void loop(Cluster cluster) {
    Map<String, Long> seen = new HashMap<>();
    List<String> handled = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (due(seen, "operator", fixture.object(OPERATOR).isPresent())
          && !handled.contains("operator")) {
        handled.add("operator");
        fixture.create(
            "/api/v1/namespaces/flink-system/pods",
            pod(
                "flink-kubernetes-operator-7d9f-x2k4",
                "flink-system",
                "app.kubernetes.io/name",
                "flink-kubernetes-operator",
                cluster.operatorBecomesReady()));
      }
      boolean consumers = !items("/api/v1/namespaces/" + NS + "/pods").isEmpty();
      for (JsonNode claim : items(PVCS)) {
        String name = claim.path("metadata").path("name").asText();
        boolean binds =
            switch (cluster.pvcs()) {
              case IMMEDIATE -> true;
              case FIRST_CONSUMER -> consumers;
              case NEVER -> false;
            };
        if (!handled.contains("pvc/" + name) && !claim.path("status").has("phase")) {
          ((ObjectNode) claim).putObject("status").put("phase", "Pending");
          fixture.replace(PVCS + "/" + name, claim.toString());
        }
        if (due(seen, "bind/" + name, binds) && !handled.contains("pvc/" + name)) {
          handled.add("pvc/" + name);
          ((ObjectNode) claim).putObject("status").put("phase", "Bound");
          fixture.replace(PVCS + "/" + name, claim.toString());
          timeline.add("pvc bound " + name);
        }
      }
      for (JsonNode deployment : items(FLINKDEPLOYMENTS)) {
        String name = deployment.path("metadata").path("name").asText();
        if (due(seen, "pods/" + name, true) && !handled.contains("pods/" + name)) {
          handled.add("pods/" + name);
          timeline.add("pods of " + name);
          for (String part : List.of("jobmanager", "taskmanager-1-1")) {
            fixture.create(
                "/api/v1/namespaces/" + NS + "/pods",
                pod(name + "-" + part, NS, "app", "flink", false));
          }
          event(name + "-jobmanager", "Scheduled", "Successfully assigned to node-1");
        }
        boolean volumesBound =
            !name.equals("ha-flink-cluster-v2")
                || items(PVCS).stream()
                    .allMatch(c -> c.path("status").path("phase").asText().equals("Bound"));
        if (cluster.flinkBecomesReady()
            && handled.contains("pods/" + name)
            && due(seen, "ready/" + name, volumesBound)
            && !handled.contains("ready/" + name)) {
          handled.add("ready/" + name);
          ObjectNode status = ((ObjectNode) deployment).putObject("status");
          status.put("jobManagerDeploymentStatus", "READY");
          status.put("lifecycleState", "STABLE");
          fixture.replace(FLINKDEPLOYMENTS + "/" + name, deployment.toString());
          for (String part : List.of("jobmanager", "taskmanager-1-1")) {
            fixture.replace(
                "/api/v1/namespaces/" + NS + "/pods/" + name + "-" + part,
                pod(name + "-" + part, NS, "app", "flink", true));
          }
          timeline.add("ready " + name);
        }
      }
      try {
        Thread.sleep(20); // a controller's resync, scaled down; bounded by the deadline
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Whether {@code trigger} has held for {@link #LAG}: when a controller reacts to it. */
  private static boolean due(Map<String, Long> seen, String key, boolean trigger) {
    if (!trigger) {
      seen.remove(key);
      return false;
    }
    long first = seen.computeIfAbsent(key, k -> System.nanoTime());
    return System.nanoTime() - first >= LAG.toNanos();
  }

  private void event(String pod, String reason, String message) {
    fixture.create(
        "/api/v1/namespaces/" + NS + "/events",
        "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\""
            + pod
            + "."
            + reason.toLowerCase(Locale.ROOT)
            + "\",\"namespace\":\""
            + NS
            + "\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\""
            + pod
            + "\",\"namespace\":\""
            + NS
            + "\"},\"reason\":\""
            + reason
            + "\",\"message\":\""
            + message
            + "\",\"type\":\"Normal\",\"lastTimestamp\":\"2026-12-07T10:00:00Z\"}");
  }

  private List<JsonNode> items(String collection) {
    try {
      List<JsonNode> items = new ArrayList<>();
      String list = fixture.object(collection).orElse("{}");
      JSON.readTree(list).path("items").forEach(items::add);
      return items;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pod(
      String name, String namespace, String labelKey, String labelValue, boolean ready) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + namespace
        + "\",\"labels\":{\""
        + labelKey
        + "\":\""
        + labelValue
        + "\"}},\"status\":{\"phase\":\""
        + (ready ? "Running" : "Pending")
        + "\",\"conditions\":[{\"type\":\"Ready\",\"status\":\""
        + (ready ? "True" : "False")
        + "\"}]}}";
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }
}
