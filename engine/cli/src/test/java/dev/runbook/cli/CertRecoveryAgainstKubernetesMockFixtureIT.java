package dev.runbook.cli;

import static dev.runbook.cli.CsrObjects.BOOTSTRAPPER;
import static dev.runbook.cli.CsrObjects.CLIENT_SIGNER;
import static dev.runbook.cli.CsrObjects.CSRS;
import static dev.runbook.cli.CsrObjects.SERVING_SIGNER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OCP-CERT-RECOVERY (OpenShift "Backup and restore" 5.4, recovering from expired control plane
 * certificates) run by the real CLI and the real kubectl against the Kubernetes mock fixture
 * (fabric8's CRUD mock, not an OpenShift API server). The nodes' kubelets, whose certificates
 * expired, wait for their node-bootstrapper CSRs; a kubelet stand-in turns a node Ready 0.3 s after
 * its CSR is approved, and one kubelet only asks after another node is back, so the runbook's
 * bounded "look for pending CSRs again" loop is exercised.
 */
class CertRecoveryAgainstKubernetesMockFixtureIT extends CsrLoopAgainstKubernetesFixture {

  private CliRun.Finished recover(String... more) throws Exception {
    return runner.finish(
        runner
            .command("OCP-CERT-RECOVERY")
            .param("ReadyWait", "1s")
            .param("ReadyEvery", "200ms")
            .with(more));
  }

  @Test
  void theValidNodeBootstrapperCsrsAreApprovedUntilEveryNodeIsReady() throws Exception {
    cluster.node("master-0", "master", false);
    cluster.node("master-1", "master", false);
    cluster.node("worker-0", "worker", false);
    cluster.pending("csr-bootstrap-master-0", BOOTSTRAPPER, "master-0", CLIENT_SIGNER);
    cluster.pending("csr-bootstrap-worker-0", BOOTSTRAPPER, "worker-0", CLIENT_SIGNER);
    // A bootstrapper request for a node this cluster does not have: a person must see it.
    cluster.pending("csr-bootstrap-rogue", BOOTSTRAPPER, "rogue-9", CLIENT_SIGNER);
    // Not node-bootstrapper requests: not this section's to approve.
    cluster.pending("csr-serving-master-1", "system:node:master-1", "master-1", SERVING_SIGNER);
    cluster.pending(
        "csr-intruder", "system:serviceaccount:default:intruder", "master-1", CLIENT_SIGNER);
    // master-1's kubelet asks only once master-0 is back.
    cluster.startKubelets(
        Map.of(
            "csr-bootstrap-master-0",
            () -> {
              cluster.markReady("master-0");
              cluster.pending("csr-bootstrap-master-1", BOOTSTRAPPER, "master-1", CLIENT_SIGNER);
            },
            "csr-bootstrap-worker-0",
            () -> cluster.markReady("worker-0"),
            "csr-bootstrap-master-1",
            () -> cluster.markReady("master-1")),
        KUBELET_LAG);

    CliRun.Finished run =
        recover("-p", "ExpectedNodes=master-0,master-1,worker-0", "--answer", "ask-approval=no");

    assertThat(cluster.kubeletFailure()).isNull();
    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(run.terminal()).contains("every node is Ready");
    assertThat(cluster.approvals())
        .containsExactlyInAnyOrder(
            "csr-bootstrap-master-0", "csr-bootstrap-worker-0", "csr-bootstrap-master-1");
    for (String left : List.of("csr-bootstrap-rogue", "csr-serving-master-1", "csr-intruder")) {
      assertThat(cluster.isPending(left)).as(left + " stays pending").isTrue();
    }
    assertThat(cluster.requestLines())
        .doesNotContain("GET " + CSRS + "/csr-serving-master-1", "GET " + CSRS + "/csr-intruder");
    List<AuditEvent> trail = runner.verifiedTrail();
    assertThat(trail)
        .filteredOn(AuditEvent.Answered.class::isInstance)
        .extracting(e -> ((AuditEvent.Answered) e).question())
        .allMatch(
            q ->
                q.startsWith(
                    "CSR csr-bootstrap-rogue was requested by "
                        + BOOTSTRAPPER
                        + " for the subject node 'rogue-9'"))
        .isNotEmpty();
    // master-1's CSR came later: the list was read again.
    assertThat(FixtureRunner.started(trail)).contains("get-csrs@2", "review-each@2");
  }

  @Test
  void nodesThatNeverBecomeReadyEndTheBoundedLoopEscalated() throws Exception {
    cluster.node("master-0", "master", false);
    cluster.pending("csr-bootstrap-rogue", BOOTSTRAPPER, "rogue-9", CLIENT_SIGNER);

    CliRun.Finished run = recover("--answer", "ask-approval=no");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(run.terminal()).contains("the nodes did not become Ready");
    assertThat(cluster.approvals()).isEmpty();
    List<AuditEvent> trail = runner.verifiedTrail();
    // The fifth visit is refused and recorded as such; it runs no command.
    assertThat(FixtureRunner.started(trail)).contains("get-csrs@4");
    assertThat(trail)
        .filteredOn(e -> e instanceof AuditEvent.StepFinished f && f.step().equals("get-csrs@5"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(((AuditEvent.StepFinished) e).failureKind()).isEqualTo("limit-reached"));
    assertThat(trail)
        .noneMatch(e -> e instanceof AuditEvent.CommandRendered c && c.step().equals("get-csrs@5"));
  }

  @Test
  void theDryRunShowsTheReviewAndSendsNothing() {
    Cli cli =
        Cli.run(
            "run", "OCP-CERT-RECOVERY", "--dry-run", "-p", "Kubeconfig=" + fixture.kubeconfig());

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("[5.4 step 1] get-csrs", "[5.4 step 2] describe-csr", "[5.4 step 3] approve-csr")
        .contains("describe csr '<each csr>'", "oc ", " adm certificate approve '<each csr>'")
        .contains("source   OpenShift Container Platform 4.x, Backup and restore — 5.4");
    assertThat(fixture.requests()).isEmpty();
  }
}
