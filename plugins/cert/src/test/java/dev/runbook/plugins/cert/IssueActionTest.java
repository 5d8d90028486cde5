package dev.runbook.plugins.cert;

import static dev.runbook.testkit.FakeActionContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.PlannedAction;
import dev.runbook.api.ShellQuoting;
import dev.runbook.api.StepResult;
import dev.runbook.testkit.FakeActionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssueActionTest {

  // openssl verify checks dates against the real clock, so the engine's clock is "now" here.
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final IssueAction action = new IssueAction();
  @TempDir Path dir;
  private FakeActionContext context;

  @BeforeEach
  void setUp() {
    context = LocalContext.at(now, dir);
  }

  private StepResult issueCa(Path cert, Path key, long days) throws Exception {
    return action.execute(
        request(
            "subject",
            "CN=erlclu-ca,O=differentpla.net",
            "ca",
            true,
            "days",
            days,
            "cert_out",
            cert.toString(),
            "key_out",
            key.toString()),
        context);
  }

  /** A leaf for CN=erlclu-node with two SANs, signed by the given files (paths quoted). */
  static StepResult issueLeaf(
      FakeActionContext context, Path signerCert, Path signerKey, Path cert, Path key)
      throws Exception {
    return new IssueAction()
        .execute(
            request(
                "subject", "CN=erlclu-node",
                "sans", List.of("node-1.erlclu", "10.0.0.5"),
                "signer_cert", ShellQuoting.quote(signerCert.toString()),
                "signer_key", ShellQuoting.quote(signerKey.toString()),
                "cert_out", cert.toString(),
                "key_out", key.toString()),
            context);
  }

  private StepResult issueLeaf(Path signerCert, Path signerKey, Path cert, Path key)
      throws Exception {
    return issueLeaf(context, signerCert, signerKey, cert, key);
  }

  @Test
  void issuesACaThenALeafThatOpensslVerifies() throws Exception {
    Path caCert = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca.key");
    Path leafCert = dir.resolve("tls-dist.crt");
    Path leafKey = dir.resolve("tls-dist.key");

    StepResult ca = issueCa(caCert, caKey, 30);
    StepResult leaf = issueLeaf(caCert, caKey, leafCert, leafKey);

    assertThat(ca.isSuccess()).as(ca.toString()).isTrue();
    assertThat(leaf.isSuccess()).as(leaf.toString()).isTrue();
    assertThat(ca.data())
        .containsEntry("subject", "CN=erlclu-ca,O=differentpla.net")
        .containsEntry("notAfter", now.plus(Duration.ofDays(30)).toString());
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("subject", "CN=erlclu-node");
    expected.put("serial", serialByOpenssl(leafCert));
    expected.put("notAfter", now.plus(Duration.ofDays(365)).toString());
    expected.put("sha256", Openssl.sha256(leafCert, "PEM"));
    expected.put("cert_out", leafCert.toString());
    expected.put("key_out", leafKey.toString());
    assertThat(leaf.data()).containsExactlyEntriesOf(expected);

    assertThat(mode(caCert)).isEqualTo("rw-r--r--");
    assertThat(mode(caKey)).isEqualTo("rw-------");
    assertThat(mode(leafCert)).isEqualTo("rw-r--r--");
    assertThat(mode(leafKey)).isEqualTo("rw-------");
    assertThat(Openssl.run("verify", "-CAfile", caCert.toString(), leafCert.toString()))
        .isEqualTo(leafCert + ": OK\n");
    assertThat(Openssl.run("ec", "-in", leafKey.toString(), "-text", "-noout"))
        .contains("ASN1 OID: prime256v1");
    assertThat(Files.readString(leafKey)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(
            Openssl.run(
                "x509", "-in", leafCert.toString(), "-noout", "-ext", "extendedKeyUsage,keyUsage"))
        .contains("Digital Signature")
        .contains("TLS Web Server Authentication, TLS Web Client Authentication");
  }

  @Test
  void theIssuedCertificatesInspectAsIssued() throws Exception {
    Path caCert = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca.key");
    Path leafCert = dir.resolve("leaf.pem");
    issueCa(caCert, caKey, 30);
    issueLeaf(caCert, caKey, leafCert, dir.resolve("leaf.key"));
    InspectAction inspect = new InspectAction();

    Map<String, Object> caData =
        inspect.execute(request("path", caCert.toString()), context).data();
    Map<String, Object> leafData =
        inspect.execute(request("path", leafCert.toString()), context).data();

    assertThat(caData)
        .containsEntry("isCa", true)
        .containsEntry("selfSigned", true)
        .containsEntry("daysLeft", 30L);
    assertThat(leafData)
        .containsEntry("issuer", "CN=erlclu-ca,O=differentpla.net")
        .containsEntry("notBefore", now.minus(CertificateIssuer.BACKDATE).toString())
        .containsEntry("sans", List.of("node-1.erlclu", "10.0.0.5"))
        .containsEntry("keyType", "EC")
        .containsEntry("keySize", 256L)
        .containsEntry("isCa", false);
    assertThat(
            new VerifyAction()
                .execute(
                    request("path", leafCert.toString(), "ca_path", caCert.toString()), context)
                .data())
        .containsEntry("reason", "ok");
  }

  @Test
  void signsWithAnEcCaMadeByOpensslAsInTheErlangSeed() throws Exception {
    Path caKey = dir.resolve("erlclu-ca.key");
    Path caCert = dir.resolve("erlclu-ca.crt");
    // The seed's own commands: a traditional "EC PRIVATE KEY" and a 30-day self-signed CA.
    Openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", caKey.toString());
    Openssl.run(
        "req",
        "-new",
        "-x509",
        "-key",
        caKey.toString(),
        "-sha256",
        "-subj",
        "/C=GB/L=London/O=differentpla.net/CN=erlclu CA",
        "-out",
        caCert.toString());
    Path leafCert = dir.resolve("tls-dist.crt");

    StepResult leaf = issueLeaf(caCert, caKey, leafCert, dir.resolve("tls-dist.key"));

    assertThat(leaf.isSuccess()).as(leaf.toString()).isTrue();
    assertThat(Openssl.run("verify", "-CAfile", caCert.toString(), leafCert.toString()))
        .isEqualTo(leafCert + ": OK\n");
    // 365 days asked, the CA lives 30: said on stderr, not refused.
    assertThat(context.lines())
        .singleElement()
        .asString()
        .startsWith(
            "err:warning: the new certificate is valid until " + now.plus(Duration.ofDays(365)))
        .contains(", after its CA expires (");
  }

  @Test
  void signsWithAnRsaCaWhosePkcs8KeyOpensslWrote() throws Exception {
    Path caKey = dir.resolve("rsa-ca.key");
    Path caCert = dir.resolve("rsa-ca.crt");
    Openssl.run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        caKey.toString(),
        "-subj",
        "/CN=rsa-ca",
        "-days",
        "400",
        "-out",
        caCert.toString());
    Path leafCert = dir.resolve("leaf.crt");

    StepResult leaf = issueLeaf(caCert, caKey, leafCert, dir.resolve("leaf.key"));

    assertThat(leaf.isSuccess()).as(leaf.toString()).isTrue();
    assertThat(Openssl.run("verify", "-CAfile", caCert.toString(), leafCert.toString()))
        .isEqualTo(leafCert + ": OK\n");
    assertThat(Openssl.run("x509", "-in", leafCert.toString(), "-noout", "-text"))
        .contains("Signature Algorithm: sha256WithRSAEncryption");
  }

  @Test
  void acceptsOpensslsSubjectForm() throws Exception {
    StepResult ca =
        action.execute(
            request(
                "subject",
                "/C=GB/L=London/O=differentpla.net/CN=erlclu CA",
                "ca",
                true,
                "cert_out",
                dir.resolve("ca.pem").toString(),
                "key_out",
                dir.resolve("ca.key").toString()),
            context);

    assertThat(ca.data()).containsEntry("subject", "C=GB,L=London,O=differentpla.net,CN=erlclu CA");
  }

  @Test
  void replacesExistingFilesAndTightensTheKeyMode() throws Exception {
    Path cert = Files.writeString(dir.resolve("ca.pem"), "old");
    Path key = Files.writeString(dir.resolve("ca.key"), "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(issueCa(cert, key, 10).isSuccess()).isTrue();

    assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(mode(key)).isEqualTo("rw-------");
  }

  @Test
  void previewSaysWhatWouldBeWrittenWhereAndWritesNothing() {
    PlannedAction leaf =
        action.preview(
            request(
                "subject", "CN=erlclu-node",
                "sans", List.of("node-1.erlclu", "10.0.0.5"),
                "signer_cert", "/certs/ca.crt",
                "signer_key", "/certs/ca.key",
                "cert_out", "/certs/tls-dist.crt",
                "key_out", "/certs/tls-dist.key"));
    PlannedAction ca =
        action.preview(
            request(
                "subject",
                "CN=erlclu-ca",
                "ca",
                true,
                "days",
                30L,
                "cert_out",
                dir.resolve("ca.pem").toString(),
                "key_out",
                dir.resolve("ca.key").toString()));

    assertThat(leaf)
        .isEqualTo(
            new PlannedAction(
                "local",
                "write a new EC prime256v1 private key to /certs/tls-dist.key (mode 0600) and a"
                    + " certificate for CN=erlclu-node to /certs/tls-dist.crt (mode 0644), valid 365"
                    + " days, signed by the CA in /certs/ca.crt with the key in /certs/ca.key, SANs"
                    + " node-1.erlclu, 10.0.0.5",
                false));
    assertThat(ca.command())
        .isEqualTo(
            "write a new EC prime256v1 private key to "
                + dir.resolve("ca.key")
                + " (mode 0600) and a CA certificate for CN=erlclu-ca to "
                + dir.resolve("ca.pem")
                + " (mode 0644), valid 30 days, self-signed");
    assertThat(dir).isEmptyDirectory();
    assertThat(action.descriptor().changesByDefault()).isTrue();
  }

  @Test
  void needsBothSignerInputsOrNeither() {
    String message =
        "action 'cert.issue' needs both 'signer_cert' and 'signer_key', or neither (with 'ca:"
            + " true', for a self-signed CA)";
    assertThat(action.checkInputs(Set.of("subject", "signer_cert"))).containsExactly(message);
    assertThat(action.checkInputs(Set.of("subject", "signer_key"))).containsExactly(message);
    assertThat(action.checkInputs(Set.of("subject", "signer_cert", "signer_key"))).isEmpty();
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static String serialByOpenssl(Path cert) throws Exception {
    return Openssl.field(
        Openssl.run("x509", "-in", cert.toString(), "-noout", "-serial"), "serial");
  }
}
