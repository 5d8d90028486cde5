package dev.runbook.plugins.cert;

import static dev.runbook.testkit.FakeActionContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.ActionRequest;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.ShellQuoting;
import dev.runbook.api.StepResult;
import dev.runbook.fixtures.TestCertificates;
import dev.runbook.fixtures.TestCertificates.Issued;
import dev.runbook.testkit.FakeActionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectActionTest {

  // The moment the Erlang cluster's author looked (seed erlang-cluster-ca-certificate-expired).
  static final Instant NOW = Instant.parse("2023-01-07T17:49:51Z");
  static final String FLINK_CERT =
      "/FusionInsight_Flink_*/install/FusionInsight-Flink-*/ha/local/cert/server.crt";

  @TempDir Path dir;
  private Path bigdataHome;
  private FakeActionContext context;
  private final InspectAction action = new InspectAction();
  private Issued ca;

  @BeforeEach
  void setUp() throws Exception {
    // A space in the directory: the engine quotes ${params.BIGDATA_HOME}, the glob stays bare.
    bigdataHome = Files.createDirectory(dir.resolve("Big Data"));
    context = LocalContext.at(NOW, dir);
    ca =
        TestCertificates.ca("C=GB,O=differentpla.net,CN=erlclu CA")
            .validity(Instant.parse("2022-12-02T08:25:09Z"), Instant.parse("2023-01-01T08:25:09Z"))
            .issue();
  }

  private Path flinkCertFile() throws Exception {
    Path certDir =
        bigdataHome.resolve(
            "FusionInsight_Flink_8.3.0/install/FusionInsight-Flink-1.17.1/ha/local/cert");
    Files.createDirectories(certDir);
    return certDir.resolve("server.crt");
  }

  private String flinkPattern() {
    return ShellQuoting.quote(bigdataHome.toString()) + FLINK_CERT;
  }

  private Issued leaf(Instant notAfter) {
    return TestCertificates.leaf("CN=flink-ha")
        .signedBy(ca)
        .sans("node-1.cluster", "10.0.0.5")
        .validity(Instant.parse("2023-01-07T09:44:27Z"), notAfter)
        .issue();
  }

  @Test
  void inspectsAPemFileFoundThroughAGlob() throws Exception {
    Issued leaf = leaf(Instant.parse("2023-04-07T09:44:27Z"));
    Path file = leaf.writePem(flinkCertFile());

    StepResult result = action.execute(request("path", flinkPattern()), context);

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("subject", "CN=flink-ha");
    expected.put("issuer", "C=GB,O=differentpla.net,CN=erlclu CA");
    expected.put(
        "serial",
        Openssl.field(Openssl.run("x509", "-in", file.toString(), "-noout", "-serial"), "serial"));
    expected.put("notBefore", "2023-01-07T09:44:27Z");
    expected.put("notAfter", "2023-04-07T09:44:27Z");
    expected.put("daysLeft", 89L);
    expected.put("expired", false);
    expected.put("notYetValid", false);
    expected.put("sans", List.of("node-1.cluster", "10.0.0.5"));
    expected.put("keyType", "EC");
    expected.put("keySize", 256L);
    expected.put("isCa", false);
    expected.put("selfSigned", false);
    expected.put("sha256", Openssl.sha256(file, "PEM"));
    expected.put("source", file.toString());
    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    assertThat(result.data()).containsExactlyEntriesOf(expected);
  }

  @Test
  void inspectsADerFileFoundThroughAGlob() throws Exception {
    Issued leaf = leaf(Instant.parse("2023-04-07T09:44:27Z"));
    Path file = leaf.writeDer(flinkCertFile());

    StepResult result = action.execute(request("path", flinkPattern()), context);

    assertThat(result.data())
        .containsEntry("subject", "CN=flink-ha")
        .containsEntry("sha256", Openssl.sha256(file, "DER"))
        .containsEntry("source", file.toString());
  }

  @Test
  void theFileContentNeverReachesTheOutput() throws Exception {
    leaf(Instant.parse("2023-04-07T09:44:27Z")).writePem(flinkCertFile());

    action.execute(request("path", flinkPattern()), context);

    assertThat(context.lines()).isEmpty();
  }

  @Test
  void daysLeftCountsWholeDaysRoundedDown() throws Exception {
    Issued tenDays = leaf(NOW.plus(Duration.ofDays(10)));
    Issued almostTen = leaf(NOW.plus(Duration.ofDays(10)).minusSeconds(1));

    assertThat(action.execute(request("pem", tenDays.pem()), context).data())
        .containsEntry("daysLeft", 10L)
        .containsEntry("expired", false);
    assertThat(action.execute(request("pem", almostTen.pem()), context).data())
        .containsEntry("daysLeft", 9L);
  }

  @Test
  void anExpiredCertificateHasNegativeDaysLeft() throws Exception {
    // Expired 6 days 9 hours before NOW: rounded down, that is -7.
    StepResult result = action.execute(request("pem", ca.pem()), context);

    assertThat(result.isSuccess()).isTrue();
    assertThat(result.data())
        .containsEntry("notAfter", "2023-01-01T08:25:09Z")
        .containsEntry("daysLeft", -7L)
        .containsEntry("expired", true)
        .containsEntry("notYetValid", false)
        .containsEntry("isCa", true)
        .containsEntry("selfSigned", true)
        .containsEntry("sans", List.of())
        .containsEntry("source", "pem");
  }

  @Test
  void aCertificateFromTheFutureIsNotYetValid() throws Exception {
    Issued future =
        TestCertificates.leaf("CN=later")
            .validity(NOW.plusSeconds(60), NOW.plus(Duration.ofDays(2)))
            .issue();

    assertThat(action.execute(request("pem", future.pem()), context).data())
        .containsEntry("notYetValid", true)
        .containsEntry("expired", false)
        .containsEntry("daysLeft", 2L)
        .containsEntry("selfSigned", true);
  }

  @Test
  void reportsKeyTypesAndSizes() throws Exception {
    assertThat(keyOf(TestCertificates.leaf("CN=a").ec("secp384r1"))).isEqualTo(List.of("EC", 384L));
    assertThat(keyOf(TestCertificates.leaf("CN=b").rsa(2048))).isEqualTo(List.of("RSA", 2048L));
    assertThat(keyOf(TestCertificates.leaf("CN=c").rsa(3072))).isEqualTo(List.of("RSA", 3072L));
    assertThat(keyOf(TestCertificates.leaf("CN=d").ed25519())).isEqualTo(List.of("Ed25519", 256L));
  }

  private List<Object> keyOf(TestCertificates.Builder builder) throws Exception {
    Map<String, Object> data =
        action.execute(request("pem", builder.issue().pem()), context).data();
    return List.of(data.get("keyType"), data.get("keySize"));
  }

  @Test
  void pemInputTakesTheFirstCertificateOfAChainWithTextAroundIt() throws Exception {
    Issued leaf = leaf(Instant.parse("2023-04-07T09:44:27Z"));
    String chain = "Certificate chain\n" + leaf.pem() + "some text\n" + ca.pem();

    assertThat(action.execute(request("pem", chain), context).data())
        .containsEntry("subject", "CN=flink-ha")
        .containsEntry("isCa", false);
  }

  @Test
  void pemInputMayBeBase64AsAKubernetesSecretHoldsIt() throws Exception {
    String secretData = Base64.getEncoder().encodeToString(ca.pem().getBytes());

    assertThat(action.execute(request("pem", secretData), context).data())
        .containsEntry("subject", "C=GB,O=differentpla.net,CN=erlclu CA");
  }

  @Test
  void previewsDescribeTheReadAndRunNothing() {
    ActionRequest byPath = request("path", flinkPattern());
    ActionRequest byPem = request("pem", ca.pem());

    assertThat(action.preview(byPath))
        .isEqualTo(
            new PlannedAction(
                "local", "inspect the first certificate in " + flinkPattern(), false));
    assertThat(action.preview(byPem))
        .isEqualTo(new PlannedAction("local", "inspect the certificate given in 'pem'", false));
    assertThat(action.descriptor().changesByDefault()).isFalse();
  }

  @Test
  void needsExactlyOneSource() {
    String message =
        "action 'cert.inspect' needs exactly one of 'path' (a file on the target), 'pem' (the"
            + " certificate text) and 'endpoint' (host:port of a TLS server)";
    assertThat(action.checkInputs(Set.of())).containsExactly(message);
    assertThat(action.checkInputs(Set.of("path", "pem"))).containsExactly(message);
    assertThat(action.checkInputs(Set.of("endpoint"))).isEmpty();
    assertThat(action.descriptor().shorthand()).isEqualTo("path");
  }
}
