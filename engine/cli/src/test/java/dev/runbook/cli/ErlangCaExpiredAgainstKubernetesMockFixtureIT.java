package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.TestCertificates;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.fixtures.kubernetes.KubernetesFixtureExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ERLCLU-CA-EXPIRED (runbooks/erlang/erlclu-ca-expired.yaml) run by the real CLI and the real
 * kubectl against the Kubernetes mock fixture (fabric8's CRUD mock, not a real API server), holding
 * the document's erlclu cluster ({@link ErlcluCluster}): one test per outcome, each checking what
 * kubectl really sent, what the fixture stores afterwards, and that the audit trail verifies.
 */
@ExtendWith(KubernetesFixtureExtension.class)
class ErlangCaExpiredAgainstKubernetesMockFixtureIT {

  private static final String RUNBOOK = "ERLCLU-CA-EXPIRED";
  private static final String CA_SUBJECT = "C=GB,L=London,O=differentpla.net,CN=erlclu CA";

  @TempDir Path tmp;
  private KubernetesFixture fixture;
  private FixtureRunner runner;
  private Path state;
  private Path caDir;
  private Path manifest;
  private final Instant now = Instant.now();

  @BeforeEach
  void start(KubernetesFixture fixture) throws IOException {
    this.fixture = fixture;
    runner = FixtureRunner.in(tmp, fixture, Map.of());
    state = runner.state();
    caDir = Files.createDirectories(tmp.resolve("ca"));
    manifest = ErlcluCluster.writeDeploymentManifest(tmp.resolve("deployment.yaml"));
  }

  /** The document's CA: "issued with a 30d expiry and expired 6 days ago". */
  private TestCertificates.Issued expiredCa() {
    return TestCertificates.ca(CA_SUBJECT)
        .validity(now.minus(Duration.ofDays(36)), now.minus(Duration.ofDays(6)))
        .issue();
  }

  private TestCertificates.Issued validCa() {
    return TestCertificates.ca(CA_SUBJECT)
        .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(29)))
        .issue();
  }

  /** A node certificate as cert-manager gave it when the pods restarted this morning. */
  private TestCertificates.Issued freshNodeCert(TestCertificates.Issued ca) {
    return TestCertificates.leaf("CN=erlclu")
        .signedBy(ca)
        .validity(now.minus(Duration.ofHours(8)), now.plus(Duration.ofDays(90)))
        .issue();
  }

  @Test
  void anExpiredCaIsReissuedTheSecretRecreatedAndErlcluRedeployed() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster cluster = ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));
    Instant started = Instant.now();

    CliRun.Finished run = run();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(outcome())
        .satisfies(
            summary -> {
              assertThat(summary.status()).isEqualTo("resolved");
              assertThat(summary.message()).contains("signed by the new CA");
            });
    assertThat(changes())
        .containsExactly(
            "DELETE " + ErlcluCluster.SECRET,
            "POST /api/v1/namespaces/erlclu/secrets",
            "DELETE " + ErlcluCluster.DEPLOYMENT,
            "POST /apis/apps/v1/namespaces/erlclu/deployments");
    // The node certificate was read through the deployment before the redeploy, then polled after
    // it: the new pods take ErlcluCluster.POD_START to start, so the first looks still saw the old
    // certificate and the run waited for the new one (every 1 s).
    List<String> execs = new ArrayList<>();
    String cat = ErlcluCluster.PODS.get(0) + ": cat /certs/tls-dist.crt";
    execs.add(cat);
    ErlcluCluster.PODS.forEach(pod -> execs.add(pod + ": date -u +%s"));
    assertThat(execs()).startsWith(execs.toArray(String[]::new));
    List<String> polls = execs().subList(execs.size(), execs().size());
    assertThat(polls).as("old certificate, then the new one").hasSizeGreaterThanOrEqualTo(2);
    assertThat(polls).containsOnly(cat);

    Map<String, String> secret = cluster.secretData().orElseThrow();
    TlsKeyPair keyPair = TlsKeyPair.of(secret);
    X509Certificate newCa = keyPair.certificate();
    newCa.checkValidity();
    assertThat(newCa.getSubjectX500Principal().getName())
        .isEqualTo("CN=erlclu CA,O=differentpla.net,L=London,C=GB");
    assertThat(newCa.getBasicConstraints()).as("a CA").isNotNegative();
    newCa.verify(newCa.getPublicKey()); // self-signed: throws if its own key did not sign it
    assertThat(keyPair.curve()).as("prime256v1").isEqualTo(X9ObjectIdentifiers.prime256v1);
    assertThat(newCa.getNotAfter().toInstant())
        .as("30 days, as openssl req -x509 gave the document's CA")
        .isBetween(
            started.plus(Duration.ofDays(30)).minusSeconds(2),
            Instant.now().plus(Duration.ofDays(30)));
    assertThat(keyPair.keyMatches()).as("tls.key is the CA's key").isTrue();
    assertThat(newCa.getPublicKey()).as("a new key").isNotEqualTo(ca.certificate().getPublicKey());
    assertThat(fixture.object(ErlcluCluster.SECRET).orElseThrow())
        .contains("\"type\":\"kubernetes.io/tls\"");

    assertThat(Files.readString(caDir.resolve("erlclu-ca.crt"))).isEqualTo(secret.get("tls.crt"));
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(caDir.resolve("erlclu-ca.key"))))
        .isEqualTo("rw-------");
    assertThat(fixture.object(ErlcluCluster.DEPLOYMENT).orElseThrow())
        .contains("\"image\":\"" + ErlcluCluster.IMAGE + "\"")
        .contains("erlclu-init");
    // The trail shows which CA the run put in the secret: certificates are public.
    assertThat(everythingUnder(state)).contains(ErlcluCluster.base64(secret.get("tls.crt")));
    // The new CA's private key never reaches the trail or the terminal, in any form.
    List<String> keyForms = new ArrayList<>(List.of(ErlcluCluster.base64(secret.get("tls.key"))));
    secret.get("tls.key").lines().filter(l -> !l.startsWith("-----")).forEach(keyForms::add);
    String recorded = everythingUnder(state);
    for (String form : keyForms) {
      assertThat(recorded).as("the trail").doesNotContain(form.strip());
      assertThat(run.terminal()).as("the terminal").doesNotContain(form.strip());
    }
    assertAuditVerifies();
  }

  @Test
  void anExpiredNodeCertificateUnderAValidCaIsEscalatedAndChangesNothing() throws Exception {
    TestCertificates.Issued ca = validCa();
    TestCertificates.Issued node =
        TestCertificates.leaf("CN=erlclu")
            .signedBy(ca)
            .validity(now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(10)))
            .issue();
    ErlcluCluster.seed(fixture, ca, node);

    CliRun.Finished run = run();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(outcome().status()).isEqualTo("escalated");
    assertThat(outcome().message())
        .startsWith("the node certificate /certs/tls-dist.crt has expired while the CA is valid");
    assertNothingChanged();
    assertAuditVerifies();
  }

  @Test
  void aPodWhoseClockIsOffIsEscalatedBeforeAnyCertificateVerdict() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster cluster = ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));
    cluster.skewClock(ErlcluCluster.PODS.get(1), Duration.ofMinutes(-10));

    CliRun.Finished run = run();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(outcome().message())
        .startsWith("a pod's clock is more than MaxClockSkewSeconds away");
    // Every pod was asked, the skewed one in the middle included.
    assertThat(execs())
        .containsSubsequence(
            ErlcluCluster.PODS.stream().map(pod -> pod + ": date -u +%s").toArray(String[]::new));
    assertNothingChanged();
    assertAuditVerifies();
  }

  @Test
  void aClockWithinTheBoundPasses() throws Exception {
    TestCertificates.Issued ca = validCa();
    ErlcluCluster cluster = ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));
    cluster.skewClock(ErlcluCluster.PODS.get(2), Duration.ofSeconds(20));

    CliRun.Finished run = run("MaxClockSkewSeconds=25");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void nothingExpiredIsResolvedAndSendsNoChange() throws Exception {
    TestCertificates.Issued ca = validCa();
    ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));

    CliRun.Finished run = run();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(outcome().status()).isEqualTo("resolved");
    assertThat(outcome().message())
        .startsWith("neither the CA nor the node certificate has expired");
    assertNothingChanged();
    assertAuditVerifies();
  }

  @Test
  void noNewNodeCertificateAfterTheRedeployIsEscalatedWhenRedeployWaitRunsOut() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster cluster = ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));
    cluster.certManager(ErlcluCluster.CertManager.STOPPED);

    CliRun.Finished run = run("RedeployWait=3s");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(outcome().message())
        .contains("within RedeployWait no pod presented a new node certificate");
    assertThat(changes()).hasSize(4);
    long looks = execs().stream().filter(e -> e.endsWith(": cat /certs/tls-dist.crt")).count() - 1;
    assertThat(looks).as("looks after the redeploy, one a second for 3 s").isBetween(2L, 4L);
    assertAuditVerifies();
  }

  @Test
  void aNewNodeCertificateNotSignedByTheNewCaIsEscalated() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster cluster = ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));
    cluster.certManager(ErlcluCluster.CertManager.KEEPS_THE_OLD_CA);

    CliRun.Finished run = run();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(outcome().message())
        .contains("the new pod's node certificate does not verify against the new CA");
    assertThat(everythingUnder(state)).as("the trail").contains("not-signed-by-ca");
    assertThat(changes()).hasSize(4);
    assertAuditVerifies();
  }

  @Test
  void aDeploymentWithoutPodsIsEscalatedAndChangesNothing() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster.seedWithoutPods(fixture, ca, freshNodeCert(ca));

    CliRun.Finished run = run();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(outcome().message()).startsWith("no pod with the label app=erlclu");
    assertThat(execs()).isEmpty();
    assertNothingChanged();
    assertAuditVerifies();
  }

  @Test
  void aSecretThatCannotBeRecreatedFailsNamingTheNewCaAndLeavesTheDeployment() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));
    fixture.refuse("POST", "/api/v1/namespaces/erlclu/secrets");

    CliRun.Finished run = run();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.FAILED);
    assertThat(outcome().message())
        .startsWith("the secret erlclu-ca-key-pair was deleted but could not be created again");
    assertThat(run.terminal()).contains("cannot create resource \"secrets\"");
    assertThat(changes())
        .containsExactly(
            "DELETE " + ErlcluCluster.SECRET, "POST /api/v1/namespaces/erlclu/secrets");
    assertThat(fixture.object(ErlcluCluster.DEPLOYMENT))
        .as("the deployment is untouched")
        .isPresent();
    assertThat(caDir.resolve("erlclu-ca.crt")).exists();
    assertThat(caDir.resolve("erlclu-ca.key")).exists();
    assertAuditVerifies();
  }

  @Test
  void aManifestThatCannotBeAppliedFailsSayingErlcluHasNoDeployment() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster cluster = ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));
    fixture.refuse("POST", "/apis/apps/v1/namespaces/erlclu/deployments");

    CliRun.Finished run = run();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.FAILED);
    assertThat(outcome().message())
        .startsWith("the deployment erlclu was deleted but the manifest could not be applied");
    assertThat(changes())
        .containsExactly(
            "DELETE " + ErlcluCluster.SECRET,
            "POST /api/v1/namespaces/erlclu/secrets",
            "DELETE " + ErlcluCluster.DEPLOYMENT,
            "POST /apis/apps/v1/namespaces/erlclu/deployments");
    assertThat(fixture.object(ErlcluCluster.DEPLOYMENT)).isEmpty();
    assertThat(cluster.secretData().orElseThrow().get("tls.crt"))
        .as("the secret holds the new CA")
        .isEqualTo(Files.readString(caDir.resolve("erlclu-ca.crt")));
    assertAuditVerifies();
  }

  @Test
  void anUnreadableManifestFailsBeforeAnythingIsDeleted() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));

    CliRun.Finished run = run("DeploymentManifest=" + tmp.resolve("no-such-deployment.yaml"));

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.FAILED);
    assertThat(outcome().message()).contains("nothing was changed");
    assertNothingChanged();
    assertAuditVerifies();
  }

  @Test
  void aDryRunShowsTheReissueAndSendsNothing() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));

    Cli cli =
        Cli.run(
            "run",
            RUNBOOK,
            "--dry-run",
            "-p",
            "Kubeconfig=" + fixture.kubeconfig(),
            "-p",
            "CaDir=" + caDir,
            "-p",
            "DeploymentManifest=" + manifest);

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    String kubectl =
        "kubectl --kubeconfig="
            + fixture.kubeconfig()
            + " --namespace=erlclu --request-timeout=30s ";
    assertThat(cli.out())
        .contains(kubectl + "get secret erlclu-ca-key-pair -o 'jsonpath={.data.tls\\.crt}'")
        .contains(kubectl + "exec deployments/erlclu -c erlclu -- cat /certs/tls-dist.crt")
        .contains(
            "CA certificate for /C=GB/L=London/O=differentpla.net/CN=erlclu CA to "
                + caDir.resolve("erlclu-ca.crt")
                + " (mode 0644), valid 30 days, self-signed")
        .contains(kubectl + "delete secret erlclu-ca-key-pair")
        .contains(
            kubectl
                + "create secret tls erlclu-ca-key-pair --cert="
                + caDir.resolve("erlclu-ca.crt")
                + " --key="
                + caDir.resolve("erlclu-ca.key"))
        .contains(kubectl + "delete deployment erlclu")
        .contains(kubectl + "apply -f " + manifest);
    assertThat(fixture.requests()).isEmpty();
    try (Stream<Path> files = Files.list(caDir)) {
      assertThat(files).isEmpty();
    }
  }

  private CliRun.Finished run(String... params) throws IOException, InterruptedException {
    CliRun run =
        runner
            .command(RUNBOOK)
            .param("Context", KubernetesFixture.CONTEXT)
            .param("CaDir", caDir)
            .param("DeploymentManifest", manifest)
            .param("RedeployPollEvery", "1s");
    for (String param : params) {
      run = run.with("-p", param);
    }
    return runner.finish(run);
  }

  /** The requests that changed something, as {@code METHOD path}. */
  private List<String> changes() {
    return fixture.objectRequests().stream()
        .filter(r -> !r.method().equals("GET"))
        .map(KubeRequest::line)
        .toList();
  }

  /** Every command kubectl exec ran, as {@code pod: command}, in order. */
  private List<String> execs() {
    return fixture.requests().stream()
        .filter(r -> r.path().endsWith("/exec"))
        .map(r -> r.path().split("/")[6] + ": " + String.join(" ", r.queryValues("command")))
        .toList();
  }

  private void assertNothingChanged() throws IOException {
    assertThat(changes()).as("requests that change something").isEmpty();
    try (Stream<Path> files = Files.list(caDir)) {
      assertThat(files).as("no new CA written").isEmpty();
    }
  }

  private RunSummary outcome() throws IOException {
    List<RunDirectory> runs = RunSummary.runs(state);
    assertThat(runs).hasSize(1);
    return RunSummary.of(runs.get(0));
  }

  private void assertAuditVerifies() {
    Cli verify = CliRun.state(state).with("audit", "verify").inProcess();
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(ExitCodes.OK);
  }

  /** Every byte of every file under the state directory, as text: the trail and its outputs. */
  private String everythingUnder(Path dir) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }
}
