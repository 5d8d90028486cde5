package dev.runbook.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenShift objects the etcd runbooks read, stored in the Kubernetes mock fixture as a real
 * cluster would show them: the etcd operator config with its EtcdMembersAvailable condition, one
 * master machine, node, etcd pod and three etcd secrets per member. Each test then sets the one
 * fact its branch depends on (a stopped machine, an unreachable taint, a crashlooping pod).
 */
final class OpenShiftEtcdObjects {

  static final String MACHINES =
      "/apis/machine.openshift.io/v1beta1/namespaces/openshift-machine-api/machines";
  static final String ETCD_PODS = "/api/v1/namespaces/openshift-etcd/pods";
  static final String ETCD_SECRETS = "/api/v1/namespaces/openshift-etcd/secrets";
  static final String MACHINE_PREFIX = "clustername-8qw5l-master-";

  /** How the unhealthy member's machine, node and pod look. */
  record Unhealthy(
      String instanceState, boolean unreachableTaint, boolean ready, boolean crashlooping) {}

  static final Unhealthy MACHINE_STOPPED = new Unhealthy("stopped", false, false, false);
  static final Unhealthy NODE_UNREACHABLE = new Unhealthy("running", true, false, false);
  static final Unhealthy NODE_NOT_READY = new Unhealthy("running", false, false, false);
  static final Unhealthy POD_CRASHLOOPING = new Unhealthy("running", false, true, true);
  static final Unhealthy NOTHING_VISIBLE = new Unhealthy("running", false, true, false);

  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenShiftEtcdObjects() {}

  /**
   * Stores the objects of a 3-master cluster; {@code unhealthy} (a member name, or null) looks as
   * {@code how} says.
   */
  static void store(
      KubernetesFixture fixture, List<String> members, String unhealthy, Unhealthy how) {
    for (String ns : List.of("openshift-etcd", "openshift-machine-api")) {
      fixture.create(
          "/api/v1/namespaces",
          write(Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", ns))));
    }
    String message =
        unhealthy == null
            ? "3 members are available"
            : "2 of 3 members are available, " + unhealthy + " is unhealthy";
    fixture.create(
        "/apis/operator.openshift.io/v1/etcds",
        write(
            Map.of(
                "apiVersion", "operator.openshift.io/v1",
                "kind", "Etcd",
                "metadata", Map.of("name", "cluster"),
                "spec", Map.of("managementState", "Managed"),
                "status",
                    Map.of(
                        "conditions",
                        List.of(
                            Map.of(
                                "type",
                                "EtcdMembersAvailable",
                                "status",
                                "True",
                                "message",
                                message))))));
    for (int i = 0; i < members.size(); i++) {
      String name = members.get(i);
      Unhealthy state = name.equals(unhealthy) ? how : NOTHING_VISIBLE;
      fixture.create(MACHINES, machine(MACHINE_PREFIX + i, name, state.instanceState()));
      fixture.create("/api/v1/nodes", node(name, state));
      fixture.create(ETCD_PODS, pod(name, state.crashlooping()));
      for (String prefix : List.of("etcd-peer-", "etcd-serving-", "etcd-serving-metrics-")) {
        fixture.create(
            ETCD_SECRETS,
            write(
                Map.of(
                    "apiVersion", "v1",
                    "kind", "Secret",
                    "type", "kubernetes.io/tls",
                    "metadata", Map.of("name", prefix + name, "namespace", "openshift-etcd"))));
      }
    }
  }

  /**
   * The machines, nodes and etcd secrets of a 3-master cluster whose etcd pods the OpenShift lab's
   * kubelets run (they mirror the pods) and whose Operator CRs {@link StaticPodOperatorsStandIn}
   * keeps; {@code unhealthy}'s machine and node look as {@code how} says.
   */
  static void storeMasters(
      KubernetesFixture fixture, List<String> members, String unhealthy, Unhealthy how) {
    for (String ns : List.of("openshift-etcd", "openshift-machine-api")) {
      fixture.create(
          "/api/v1/namespaces",
          write(Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", ns))));
    }
    for (int i = 0; i < members.size(); i++) {
      String name = members.get(i);
      Unhealthy state = name.equals(unhealthy) ? how : NOTHING_VISIBLE;
      fixture.create(MACHINES, machine(MACHINE_PREFIX + i, name, state.instanceState()));
      fixture.create("/api/v1/nodes", node(name, state));
      for (String prefix : List.of("etcd-peer-", "etcd-serving-", "etcd-serving-metrics-")) {
        fixture.create(
            ETCD_SECRETS,
            write(
                Map.of(
                    "apiVersion", "v1",
                    "kind", "Secret",
                    "type", "kubernetes.io/tls",
                    "metadata", Map.of("name", prefix + name, "namespace", "openshift-etcd"))));
      }
    }
  }

  /**
   * The four operator configs a restore redeploys (etcd, kubeapiserver, kubecontrollermanager,
   * kubescheduler), each with all nodes at the latest revision, and the one etcd pod that runs on
   * the recovery host after a restore.
   */
  static void storeAfterRestore(KubernetesFixture fixture, String recoveryHost) {
    fixture.create(
        "/api/v1/namespaces",
        write(
            Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Namespace",
                "metadata",
                Map.of("name", "openshift-etcd"))));
    Map<String, String> kinds =
        Map.of(
            "etcds", "Etcd",
            "kubeapiservers", "KubeAPIServer",
            "kubecontrollermanagers", "KubeControllerManager",
            "kubeschedulers", "KubeScheduler");
    kinds.forEach(
        (plural, kind) ->
            fixture.create(
                "/apis/operator.openshift.io/v1/" + plural,
                write(
                    Map.of(
                        "apiVersion", "operator.openshift.io/v1",
                        "kind", kind,
                        "metadata", Map.of("name", "cluster"),
                        "spec", Map.of("managementState", "Managed"),
                        "status",
                            Map.of(
                                "conditions",
                                List.of(
                                    Map.of(
                                        "type", "NodeInstallerProgressing",
                                        "status", "False",
                                        "reason", "AllNodesAtLatestRevision",
                                        "message", "3 nodes are at revision 7")))))));
    fixture.create(ETCD_PODS, pod(recoveryHost, false));
  }

  /** An etcd pod, Running, on {@code node}. */
  static void storeEtcdPod(KubernetesFixture fixture, String node) {
    fixture.create(ETCD_PODS, pod(node, false));
  }

  private static String machine(String name, String node, String instanceState) {
    return write(
        Map.of(
            "apiVersion", "machine.openshift.io/v1beta1",
            "kind", "Machine",
            "metadata",
                Map.of(
                    "name",
                    name,
                    "namespace",
                    "openshift-machine-api",
                    "annotations",
                    Map.of("machine.openshift.io/instance-state", instanceState),
                    "generation",
                    2,
                    "labels",
                    Map.of("machine.openshift.io/cluster-api-machine-role", "master")),
            "spec",
                Map.of(
                    "providerID",
                    "aws:///us-east-1a/i-0fdb85790d76d0c3" + name.charAt(name.length() - 1)),
            "status",
                Map.of(
                    "phase", "Running",
                    "nodeRef", Map.of("kind", "Node", "name", node),
                    "providerStatus", Map.of("instanceState", instanceState))));
  }

  private static String node(String name, Unhealthy state) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put(
        "taints",
        state.unreachableTaint()
            ? List.of(
                Map.of("key", "node-role.kubernetes.io/master", "effect", "NoSchedule"),
                Map.of("key", "node.kubernetes.io/unreachable", "effect", "NoSchedule"),
                Map.of("key", "node.kubernetes.io/unreachable", "effect", "NoExecute"))
            : List.of(Map.of("key", "node-role.kubernetes.io/master", "effect", "NoSchedule")));
    return write(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Node",
            "metadata",
            Map.of("name", name, "labels", Map.of("node-role.kubernetes.io/master", "")),
            "spec",
            spec,
            "status",
            Map.of(
                "conditions",
                List.of(
                    Map.of(
                        "type",
                        "Ready",
                        "status",
                        state.ready()
                            ? "True"
                            : state.unreachableTaint() ? "Unknown" : "False")))));
  }

  private static String pod(String node, boolean crashlooping) {
    Map<String, Object> etcdState =
        crashlooping
            ? Map.of("terminated", Map.of("reason", "Error", "exitCode", 2))
            : Map.of("running", Map.of("startedAt", "2026-12-02T12:00:00Z"));
    return write(
        Map.of(
            "apiVersion", "v1",
            "kind", "Pod",
            "metadata", Map.of("name", "etcd-" + node, "namespace", "openshift-etcd"),
            "spec", Map.of("nodeName", node),
            "status",
                Map.of(
                    "phase",
                    "Running",
                    "containerStatuses",
                    List.of(
                        Map.of(
                            "name",
                            "etcd",
                            "ready",
                            !crashlooping,
                            "restartCount",
                            crashlooping ? 7 : 0,
                            "state",
                            etcdState)))));
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
