package dev.runbook.plugins.cert;

import static dev.runbook.plugins.cert.StepResults.assertFailure;
import static dev.runbook.testkit.FakeActionContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepResult;
import dev.runbook.fixtures.TestCertificates;
import dev.runbook.fixtures.TestCertificates.Issued;
import dev.runbook.testkit.FakeActionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cert.issue} refuses, before writing anything, what would give a useless certificate. */
class IssueRefusalsTest {

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final IssueAction action = new IssueAction();
  @TempDir Path dir;
  private FakeActionContext context;

  @BeforeEach
  void setUp() {
    context = LocalContext.at(now, dir);
  }

  private StepResult issueLeaf(Path signerCert, Path signerKey, Path cert, Path key)
      throws Exception {
    return IssueActionTest.issueLeaf(context, signerCert, signerKey, cert, key);
  }

  @Test
  void refusesAnExpiredSignerAndWritesNothing() throws Exception {
    Issued expired =
        TestCertificates.ca("CN=old-ca")
            .validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30)))
            .issue();
    Path caCert = expired.writePem(dir.resolve("old-ca.pem"));
    Path caKey = expired.writePrivateKey(dir.resolve("old-ca.key"));

    StepResult result = issueLeaf(caCert, caKey, dir.resolve("leaf.pem"), dir.resolve("leaf.key"));

    assertFailure(
        result,
        FailureKind.CONFIG,
        "signer_cert CN=old-ca expired on "
            + now.minus(Duration.ofDays(30))
            + ": a certificate it signs would not be accepted; renew the CA first");
    assertThat(dir).isDirectoryNotContaining("glob:**/leaf.*");
  }

  @Test
  void refusesASignerFromTheFutureButToleratesClockSkew() throws Exception {
    Issued skewed =
        TestCertificates.ca("CN=skewed-ca")
            .validity(now.plusSeconds(60), now.plus(Duration.ofDays(9)))
            .issue();
    Issued future =
        TestCertificates.ca("CN=future-ca")
            .validity(now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(9)))
            .issue();

    StepResult fine =
        issueLeaf(
            skewed.writePem(dir.resolve("skewed.pem")),
            skewed.writePrivateKey(dir.resolve("skewed.key")),
            dir.resolve("a.pem"),
            dir.resolve("a.key"));
    StepResult refused =
        issueLeaf(
            future.writePem(dir.resolve("future.pem")),
            future.writePrivateKey(dir.resolve("future.key")),
            dir.resolve("b.pem"),
            dir.resolve("b.key"));

    assertThat(fine.isSuccess()).as(fine.toString()).isTrue();
    assertFailure(
        refused,
        FailureKind.CONFIG,
        "signer_cert CN=future-ca is not valid before " + now.plus(Duration.ofHours(1)));
  }

  @Test
  void refusesAKeyThatIsNotTheSignersAndWritesNothing() throws Exception {
    Issued ca = TestCertificates.ca("CN=erlclu CA").issue();
    Issued other = TestCertificates.ca("CN=erlclu CA").issue();
    Path caCert = ca.writePem(dir.resolve("ca.pem"));
    Path otherKey = other.writePrivateKey(dir.resolve("other.key"));

    StepResult result =
        issueLeaf(caCert, otherKey, dir.resolve("leaf.pem"), dir.resolve("leaf.key"));

    assertFailure(
        result,
        FailureKind.CONFIG,
        "signer_key does not belong to signer_cert CN=erlclu CA: nothing was written");
    assertThat(dir).isDirectoryNotContaining("glob:**/leaf.*");
  }

  @Test
  void refusesASignerThatIsNotACa() throws Exception {
    Issued notACa = TestCertificates.leaf("CN=web").issue();
    Path cert = notACa.writePem(dir.resolve("web.pem"));
    Path key = notACa.writePrivateKey(dir.resolve("web.key"));

    assertFailure(
        issueLeaf(cert, key, dir.resolve("leaf.pem"), dir.resolve("leaf.key")),
        FailureKind.CONFIG,
        "signer_cert CN=web is not a CA certificate allowed to sign certificates");
  }

  @Test
  void refusesAnEncryptedSignerKey() throws Exception {
    Issued ca = TestCertificates.ca("CN=erlclu CA").issue();
    Path caCert = ca.writePem(dir.resolve("ca.pem"));
    Path caKey = dir.resolve("ca.key");
    Openssl.run(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-aes256",
        "-pass",
        "pass:secret",
        "-out",
        caKey.toString());

    assertFailure(
        issueLeaf(caCert, caKey, dir.resolve("leaf.pem"), dir.resolve("leaf.key")),
        FailureKind.CONFIG,
        "signer_key "
            + caKey
            + " on local is an encrypted private key; this action takes no passphrase: give it an"
            + " unencrypted copy on the target");
  }

  @Test
  void refusesWrongInputValues() throws Exception {
    String cert = dir.resolve("c.pem").toString();
    String key = dir.resolve("c.key").toString();

    assertFailure(
        action.execute(request("subject", "CN=x", "cert_out", cert, "key_out", key), context),
        FailureKind.CONFIG,
        "a leaf certificate needs 'signer_cert' and 'signer_key' (the CA that signs it); for a"
            + " self-signed CA say 'ca: true'");
    assertFailure(
        action.execute(
            request("subject", "CN=x", "ca", true, "days", 0L, "cert_out", cert, "key_out", key),
            context),
        FailureKind.CONFIG,
        "'days' must be a whole number of at least 1, not 0");
    assertFailure(
        action.execute(
            request("subject", "CN=x", "ca", true, "cert_out", cert, "key_out", cert), context),
        FailureKind.CONFIG,
        "'cert_out' and 'key_out' are the same file: " + cert);
    assertFailure(
        action.execute(
            request(
                "subject",
                "CN=x",
                "ca",
                true,
                "sans",
                List.of("bad name;"),
                "cert_out",
                cert,
                "key_out",
                key),
            context),
        FailureKind.CONFIG,
        "'sans': 'bad name;' is neither a DNS name nor an IP address");
    assertThat(dir).isEmptyDirectory();
  }
}
