package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.ChildJvm;
import dev.runbook.fixtures.TestCertificates;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ERLCLU-CA-EXPIRED (runbooks/erlang/erlclu-ca-expired.yaml) run by the real CLI and the real
 * kubectl against the Kubernetes mock fixture (fabric8's CRUD mock, not a real API server), holding
 * the document's erlclu cluster ({@link ErlcluCluster}): one test per outcome, each checking what
 * kubectl really sent, what the fixture stores afterwards, and that the audit trail verifies.
 */
class ErlangCaExpiredAgainstKubernetesMockFixtureIT {

  private static final String RUNBOOK = "ERLCLU-CA-EXPIRED";
  private static final String CA_SUBJECT = "C=GB,L=London,O=differentpla.net,CN=erlclu CA";
  private static final Duration RUN_DEADLINE = Duration.ofSeconds(120);

  @TempDir Path tmp;
  private KubernetesFixture fixture;
  private Path state;
  private Path caDir;
  private Path manifest;
  private final Instant now = Instant.now();

  /** What the CLI printed and how it exited. */
  private record Run(int exitCode, String terminal) {}

  @BeforeEach
  void start() throws IOException {
    fixture = KubernetesFixture.start(tmp);
    state = tmp.resolve("state");
    caDir = Files.createDirectories(tmp.resolve("ca"));
    manifest = ErlcluCluster.writeDeploymentManifest(tmp.resolve("deployment.yaml"));
  }

  @AfterEach
  void stop() {
    fixture.close();
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
  void anExpiredCaIsReissuedAndErlcluRedeployed() throws Exception {
    TestCertificates.Issued ca = expiredCa();
    ErlcluCluster cluster = ErlcluCluster.seed(fixture, ca, freshNodeCert(ca));
    Instant started = Instant.now();

    Run run = run();

    fixture.requests().forEach(r -> System.out.println("REQ " + r.method() + " " + r.uri()));
    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
  }

  private Run run(String... params) throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--state-dir",
                state.toString(),
                "--runbooks",
                Cli.LIBRARY.toString(),
                "run",
                RUNBOOK,
                "-p",
                "Kubeconfig=" + fixture.kubeconfig(),
                "-p",
                "Context=" + KubernetesFixture.CONTEXT,
                "-p",
                "CaDir=" + caDir,
                "-p",
                "DeploymentManifest=" + manifest,
                "-p",
                "RedeployPollEvery=1s"));
    for (String param : params) {
      args.addAll(List.of("-p", param));
    }
    // A child JVM, so kubectl's discovery cache goes to the test's directory, not $HOME.
    try (ChildJvm cli =
        ChildJvm.start(
            Main.class, tmp, args, Map.of("KUBECACHEDIR", tmp.resolve("cache").toString()))) {
      int exit = cli.waitFor(RUN_DEADLINE);
      return new Run(exit, Files.readString(cli.stdout()) + Files.readString(cli.stderr()));
    }
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
