package dev.runbook.cli;

import static dev.runbook.cli.CsrObjects.BOOTSTRAPPER;
import static dev.runbook.cli.CsrObjects.CLIENT_SIGNER;
import static dev.runbook.cli.CsrObjects.CSRS;
import static dev.runbook.cli.CsrObjects.SERVING_SIGNER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.fixtures.kubernetes.ApiResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OCP-CLUSTER-RESTART (OpenShift "Restarting the cluster gracefully", chapter 4) run by the real
 * CLI and the real kubectl against the Kubernetes mock fixture (fabric8's CRUD mock, not an
 * OpenShift API server). Nodes come back NotReady with pending CSRs; a kubelet stand-in in the test
 * turns a node Ready 0.3 s after its CSR is approved (never at once), so the runbook's bounded
 * "while nodes are not Ready: review the CSRs, approve the valid ones" loop is exercised for real,
 * and so is its review: only a node's own request for a node of ExpectedNodes is approved without a
 * person; every other CSR is asked, with its requester and node.
 */
class ClusterRestartAgainstKubernetesMockFixtureIT extends CsrLoopAgainstKubernetesFixture {

  @BeforeEach
  void clusterOperators() {
    fixture.addResource(
        ApiResource.clusterScoped(
            "config.openshift.io", "v1", "clusteroperators", "ClusterOperator"));
  }

  private CliRun.Finished restart(String readyWait, String... more) throws Exception {
    return runner.finish(
        runner
            .command("OCP-CLUSTER-RESTART")
            .param("StartupWait", "1s")
            .param("ReadyWait", readyWait)
            .param("ReadyEvery", "200ms")
            .answer("power-on-dependencies", "yes")
            .answer("start-machines", "yes")
            .with(more));
  }

  /** The questions a person was asked about CSRs, and how each was answered. */
  private static List<String> csrQuestions(List<AuditEvent> trail) {
    return trail.stream()
        .filter(e -> e instanceof AuditEvent.Answered a && a.step().endsWith("ask-approval@1"))
        .map(
            e -> ((AuditEvent.Answered) e).question() + " => " + ((AuditEvent.Answered) e).answer())
        .toList();
  }

  @Test
  void expectedNodesRequestsAreApprovedAndEveryOtherCsrIsShownToAPersonWhoRefusesIt()
      throws Exception {
    cluster.node("master-0", "master", false);
    cluster.node("master-1", "master", false);
    cluster.node("worker-0", "worker", false);
    cluster.pending("csr-master-0", "system:node:master-0", "master-0", SERVING_SIGNER);
    // Not for a node of the cluster, though a system:node: requester asks for it.
    cluster.pending("csr-master-9", "system:node:master-9", "master-9", SERVING_SIGNER);
    // A node asking for another node's certificate.
    cluster.pending("csr-borrowed", "system:node:master-0", "master-1", SERVING_SIGNER);
    cluster.pending(
        "csr-intruder", "system:serviceaccount:default:intruder", "master-1", SERVING_SIGNER);
    cluster.approved("csr-before-shutdown", "system:node:master-1", "master-1");
    clusterOperator("etcd", false);
    clusterOperator("kube-apiserver", false);
    // Approving csr-master-0 turns the masters Ready; only then does the worker's kubelet ask for
    // its client certificate (csr-worker-0), whose approval turns the worker Ready.
    cluster.startKubelets(
        Map.of(
            "csr-master-0",
            () -> {
              cluster.markReady("master-0");
              cluster.markReady("master-1");
              cluster.pending("csr-worker-0", BOOTSTRAPPER, "worker-0", CLIENT_SIGNER);
            },
            "csr-worker-0",
            () -> cluster.markReady("worker-0")),
        KUBELET_LAG);

    CliRun.Finished run =
        restart(
            "2s", "-p", "ExpectedNodes=master-0,master-1,worker-0", "--answer", "ask-approval=no");

    assertThat(cluster.kubeletFailure()).isNull();
    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(run.terminal()).contains("the cluster started properly");
    assertThat(cluster.approvals()).containsExactly("csr-master-0", "csr-worker-0");
    for (String refused : List.of("csr-master-9", "csr-borrowed", "csr-intruder")) {
      assertThat(cluster.isPending(refused)).as(refused + " stays pending").isTrue();
    }
    assertThat(cluster.conditionTypes("csr-master-0")).containsExactly("Approved");
    List<AuditEvent> trail = runner.verifiedTrail();
    assertThat(csrQuestions(trail))
        .contains(
            "CSR csr-master-9 was requested by system:node:master-9 for the subject node"
                + " 'master-9' (empty: not a node), signer kubernetes.io/kubelet-serving; its"
                + " details are shown above (oc describe csr). Is it a valid request of one of"
                + " this cluster's nodes, to approve? => no")
        .anyMatch(
            q ->
                q.startsWith(
                    "CSR csr-borrowed was requested by system:node:master-0 for"
                        + " the subject node 'master-1'"))
        .anyMatch(
            q ->
                q.startsWith(
                    "CSR csr-intruder was requested by"
                        + " system:serviceaccount:default:intruder for the subject node 'master-1'"))
        .noneMatch(q -> q.contains("csr-master-0") || q.contains("csr-worker-0"));
    assertThat(FixtureRunner.started(trail))
        .contains("wait-for-startup@1", "masters-csrs@1", "workers-csrs@1", "cluster-operators@1")
        .doesNotContain("masters-ready@3");
    assertThat(cluster.requestLines())
        .contains(
            "GET /api/v1/nodes",
            "GET /apis/config.openshift.io/v1/clusteroperators",
            "GET " + CSRS + "/csr-intruder")
        .doesNotContain("PUT " + CSRS + "/csr-intruder/approval");
  }

  @Test
  void withoutExpectedNodesEveryCsrIsReviewedByAPersonBeforeItIsApproved() throws Exception {
    cluster.node("master-0", "master", false);
    cluster.node("worker-0", "worker", true);
    cluster.pending("csr-master-0", "system:node:master-0", "master-0", SERVING_SIGNER);
    clusterOperator("etcd", false);
    cluster.startKubelets(Map.of("csr-master-0", () -> cluster.markReady("master-0")), KUBELET_LAG);

    CliRun.Finished run = restart("1s", "--answer", "ask-approval=yes");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(cluster.approvals()).containsExactly("csr-master-0");
    List<AuditEvent> trail = runner.verifiedTrail();
    assertThat(csrQuestions(trail))
        .singleElement()
        .satisfies(
            q ->
                assertThat(q)
                    .startsWith(
                        "CSR csr-master-0 was requested by system:node:master-0 for the subject"
                            + " node 'master-0'")
                    .endsWith("=> yes"));
    // Reviewed (described) before approved.
    assertThat(cluster.requestLines())
        .containsSubsequence(
            "GET " + CSRS + "/csr-master-0", "PUT " + CSRS + "/csr-master-0/approval");
    // The kubelet lags behind the approval: the second look at the masters had to wait for it.
    assertThat(
            trail.stream()
                .filter(
                    e ->
                        e instanceof AuditEvent.WaitProgress w
                            && w.step().equals("masters-ready@2"))
                .count())
        .isGreaterThan(1);
  }

  @Test
  void aDegradedClusterOperatorIsEscalatedWithoutTouchingCsrs() throws Exception {
    cluster.node("master-0", "master", true);
    cluster.node("worker-0", "worker", true);
    cluster.pending(
        "csr-intruder", "system:serviceaccount:default:intruder", "master-0", SERVING_SIGNER);
    clusterOperator("etcd", false);
    clusterOperator("authentication", true);

    CliRun.Finished run = restart("2s");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("a cluster Operator is degraded");
    assertThat(cluster.approvals()).isEmpty();
    assertThat(cluster.requestLines())
        .noneMatch(line -> line.contains("certificatesigningrequests"));
    runner.verifiedTrail();
  }

  @Test
  void mastersThatNeverBecomeReadyEndTheBoundedCsrLoopEscalated() throws Exception {
    cluster.node("master-0", "master", false);
    cluster.node("worker-0", "worker", true);
    cluster.pending(
        "csr-intruder", "system:serviceaccount:default:intruder", "master-0", SERVING_SIGNER);

    CliRun.Finished run = restart("300ms", "--answer", "ask-approval=no");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("the master nodes did not become Ready");
    assertThat(cluster.approvals()).isEmpty();
    // max_visits 4 on masters-ready: four timed-out checks, each followed by one CSR pass; the
    // fifth visit is refused and ends the run.
    assertThat(cluster.requestLines()).filteredOn(line -> line.equals("GET " + CSRS)).hasSize(4);
    List<AuditEvent> trail = runner.verifiedTrail();
    assertThat(FixtureRunner.started(trail))
        .contains("masters-csrs@4")
        .doesNotContain("masters-csrs@5", "workers-ready@1");
  }

  @Test
  void theDryRunShowsTheTenMinuteWaitAndTheCsrReviewAndSendsNothing() {
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
            "describe csr '<each csr>'",
            "? CSR <each csr> was requested by <steps.read-csr.json.spec.username>",
            "$ oc --kubeconfig="
                + fixture.kubeconfig()
                + " --request-timeout=30s adm certificate approve '<each csr>'",
            "get clusteroperators -o json");
    assertThat(fixture.requests()).isEmpty();
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
