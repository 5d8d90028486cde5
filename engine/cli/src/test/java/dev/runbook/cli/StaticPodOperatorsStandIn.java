package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.fixtures.openshift.OpenShiftControlPlane;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays OpenShift's static pod Operators (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler) for the OpenShift lab, as far as the runbooks see them. Their contract: a patch
 * of {@code spec.forceRedeploymentReason} on the Operator's CR ({@code etcd cluster} …) rolls out a
 * new revision to every master. While it does, {@code NodeInstallerProgressing} says "3 nodes are
 * at revision R; 0 nodes are at revision R+1"; then "AllNodesAtLatestRevision", "3 nodes are at
 * revision R+1". The etcd Operator's rollout also gives every master a running member: a master
 * whose member was removed (or whose data was moved away) gets one added ({@code etcdctl member
 * add}, then an {@code etcd-pod.yaml} that joins, which the master's kubelet starts), and the
 * restore-etcd pod of a restore is replaced by the regular one. It reacts a little later ({@code
 * lag}), never at once, so runbooks that must wait for it are seen to wait.
 *
 * <p>Given {@code syncsReturningMasters}, the etcd Operator also adds the member of a master whose
 * machine comes back without being asked ({@link #masterReturned}), as the document says it does
 * after a master machine is recreated; without it, only a forced redeployment adds it.
 *
 * <p>One thread, bounded by {@link #close()}; {@link #failure()} holds its first error.
 */
final class StaticPodOperatorsStandIn implements AutoCloseable {

  static final String API = "/apis/operator.openshift.io/v1/";

  /** Each Operator's CR (plural) and the revision its nodes are at, at the start. */
  static final Map<String, Integer> FIRST_REVISIONS =
      Map.of("etcds", 3, "kubeapiservers", 10, "kubecontrollermanagers", 6, "kubeschedulers", 7);

  private static final Map<String, String> KINDS =
      Map.of(
          "etcds", "Etcd",
          "kubeapiservers", "KubeAPIServer",
          "kubecontrollermanagers", "KubeControllerManager",
          "kubeschedulers", "KubeScheduler");
  private static final Map<String, String> OPERANDS =
      Map.of(
          "kubeapiservers", "kube-apiserver",
          "kubecontrollermanagers", "kube-controller-manager",
          "kubeschedulers", "kube-scheduler");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesFixture fixture;
  private final OpenShiftControlPlane plane;
  private final Duration lag;
  private final boolean syncsReturningMasters;
  private final Map<String, Integer> revisions = new HashMap<>(FIRST_REVISIONS);
  private final Map<String, String> reasonsSeen = new HashMap<>();
  private final BlockingQueue<String> returnedMasters = new LinkedBlockingQueue<>();
  private final List<String> rollouts = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean closed;
  private String membersReported = "3 members are available";

  private StaticPodOperatorsStandIn(
      KubernetesFixture fixture,
      OpenShiftControlPlane plane,
      Duration lag,
      boolean syncsReturningMasters) {
    this.fixture = fixture;
    this.plane = plane;
    this.lag = lag;
    this.syncsReturningMasters = syncsReturningMasters;
    this.thread = new Thread(this::loop, "static-pod-operators-stand-in");
    thread.setDaemon(true);
  }

  /**
   * Stores the four Operator CRs (every node at its first revision, every etcd member available)
   * and starts playing the Operators.
   */
  static StaticPodOperatorsStandIn start(
      KubernetesFixture fixture,
      OpenShiftControlPlane plane,
      Duration lag,
      boolean syncsReturningMasters) {
    for (Map.Entry<String, String> kind : KINDS.entrySet()) {
      ObjectNode cr = JSON.createObjectNode();
      cr.put("apiVersion", "operator.openshift.io/v1").put("kind", kind.getValue());
      cr.putObject("metadata").put("name", "cluster");
      cr.putObject("spec").put("managementState", "Managed");
      int revision = FIRST_REVISIONS.get(kind.getKey());
      cr.putObject("status").put("latestAvailableRevision", revision);
      setCondition(
          cr,
          "NodeInstallerProgressing",
          "False",
          "AllNodesAtLatestRevision",
          atRevision(revision));
      if (kind.getKey().equals("etcds")) {
        setCondition(cr, "EtcdMembersAvailable", "True", "EtcdQuorate", "3 members are available");
      }
      fixture.create(API + kind.getKey(), cr.toString());
    }
    StaticPodOperatorsStandIn operators =
        new StaticPodOperatorsStandIn(fixture, plane, lag, syncsReturningMasters);
    operators.thread.start();
    return operators;
  }

  /**
   * A master's machine is back (new, with an empty disk): the etcd Operator, when it syncs
   * returning masters, schedules the master's etcd pod at once (Pending, as the API shows it before
   * the kubelet runs it) and adds its member. Called by the Machine API's stand-in before the
   * machine turns Running.
   */
  void masterReturned(String node) {
    if (!syncsReturningMasters) {
      return;
    }
    ObjectNode pod = JSON.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", "etcd-" + node).put("namespace", "openshift-etcd");
    pod.putObject("spec").put("nodeName", node);
    pod.putObject("status").put("phase", "Pending");
    String path = "/api/v1/namespaces/openshift-etcd/pods";
    if (fixture.object(path + "/etcd-" + node).isEmpty()) {
      fixture.create(path, pod.toString());
    }
    returnedMasters.add(node);
  }

  /**
   * The rollouts begun, in order: {@code etcds 3->4}, {@code sync ip-…}. Recorded as a rollout
   * begins: a run that waits for its effect (a third member) may end before the rollout's last
   * status write, and a test reading this list then must still see it.
   */
  List<String> rollouts() {
    return List.copyOf(rollouts);
  }

  Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  private void loop() {
    while (!closed) {
      try {
        String returned = returnedMasters.poll(50, TimeUnit.MILLISECONDS); // a watch, scaled
        if (returned != null) {
          rollouts.add("sync " + returned);
          sleep(lag);
          addMemberIfMissing(returned);
        }
        reportMembers();
        for (String plural : KINDS.keySet()) {
          Optional<String> reason = forceRedeploymentReason(plural);
          if (reason.isPresent() && !reason.get().equals(reasonsSeen.get(plural))) {
            reasonsSeen.put(plural, reason.get());
            rollOut(plural);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | IOException e) {
        failure.compareAndSet(null, e);
        return;
      }
    }
  }

  /**
   * Keeps the etcd CR's EtcdMembersAvailable condition true to the members' health, worded as the
   * Operator words it ("2 of 3 members are available, NODE is unhealthy").
   */
  private void reportMembers() throws IOException {
    List<String> unhealthy =
        plane.nodes().stream().filter(n -> !plane.kubelet(n).isRunning("etcd")).toList();
    int available = plane.nodes().size() - unhealthy.size();
    String message =
        unhealthy.isEmpty()
            ? available + " members are available"
            : available
                + " of "
                + plane.nodes().size()
                + " members are available, "
                + String.join(", ", unhealthy.stream().map(n -> n + " is unhealthy").toList());
    if (message.equals(membersReported)) {
      return;
    }
    String path = API + "etcds/cluster";
    ObjectNode cr = (ObjectNode) JSON.readTree(fixture.object(path).orElseThrow());
    setCondition(
        cr,
        "EtcdMembersAvailable",
        "True",
        unhealthy.isEmpty() ? "EtcdQuorate" : "NoQuorumLoss",
        message);
    fixture.replace(path, cr.toString());
    membersReported = message;
  }

  private Optional<String> forceRedeploymentReason(String plural) throws IOException {
    Optional<String> cr = fixture.object(API + plural + "/cluster");
    if (cr.isEmpty()) {
      return Optional.empty();
    }
    JsonNode reason = JSON.readTree(cr.get()).path("spec").path("forceRedeploymentReason");
    return reason.isTextual() && !reason.asText().isEmpty()
        ? Optional.of(reason.asText())
        : Optional.empty();
  }

  private void rollOut(String plural) throws IOException, InterruptedException {
    int from = revisions.get(plural);
    int to = from + 1;
    rollouts.add(plural + " " + from + "->" + to);
    sleep(lag);
    updateStatus(
        plural,
        to,
        "True",
        "NodeInstaller",
        "3 nodes are at revision " + from + "; 0 nodes are at revision " + to);
    sleep(lag);
    if (plural.equals("etcds")) {
      for (String node : plane.nodes()) {
        if (plane.hasRestorePod(node)) {
          plane.redeployMember(node, to);
          awaitRunningAndHealthy(node);
        }
      }
      for (String node : plane.nodes()) {
        addMemberIfMissing(node);
      }
    } else {
      for (String node : plane.nodes()) {
        plane.installRevision(node, OPERANDS.get(plural), to);
      }
    }
    revisions.put(plural, to);
    updateStatus(plural, to, "False", "AllNodesAtLatestRevision", atRevision(to));
  }

  private void addMemberIfMissing(String node) throws IOException {
    Map<String, String> members = plane.etcd().memberIds();
    if (!members.containsKey(node)) {
      plane.addMember(node);
      awaitRunningAndHealthy(node);
    }
  }

  private void awaitRunningAndHealthy(String node) {
    Eventually.within(
        Duration.ofSeconds(30),
        "etcd on " + node + " to run",
        () -> plane.kubelet(node).isRunning("etcd"));
    plane.awaitHealthy(List.of(node));
  }

  private void updateStatus(String plural, int latest, String status, String reason, String message)
      throws IOException {
    String path = API + plural + "/cluster";
    ObjectNode cr = (ObjectNode) JSON.readTree(fixture.object(path).orElseThrow());
    ((ObjectNode) cr.with("status")).put("latestAvailableRevision", latest);
    setCondition(cr, "NodeInstallerProgressing", status, reason, message);
    fixture.replace(path, cr.toString());
  }

  private static void setCondition(
      ObjectNode cr, String type, String status, String reason, String message) {
    ObjectNode statusNode = (ObjectNode) cr.with("status");
    ArrayNode conditions =
        statusNode.has("conditions")
            ? (ArrayNode) statusNode.get("conditions")
            : statusNode.putArray("conditions");
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("type", type);
    fields.put("status", status);
    fields.put("reason", reason);
    fields.put("message", message);
    for (int i = 0; i < conditions.size(); i++) {
      if (conditions.get(i).path("type").asText().equals(type)) {
        conditions.remove(i);
        break;
      }
    }
    ObjectNode condition = conditions.addObject();
    fields.forEach(condition::put);
  }

  private static String atRevision(int revision) {
    return "3 nodes are at revision " + revision;
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis()); // the Operator's reaction time, scaled down
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.interrupt();
    thread.join(Duration.ofSeconds(30).toMillis());
  }
}
