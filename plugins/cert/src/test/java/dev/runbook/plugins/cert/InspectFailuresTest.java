package dev.runbook.plugins.cert;

import static dev.runbook.plugins.cert.StepResults.assertFailure;
import static dev.runbook.testkit.FakeActionContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.api.ShellQuoting;
import dev.runbook.api.StepResult;
import dev.runbook.fixtures.TestCertificates;
import dev.runbook.fixtures.TestCertificates.Issued;
import dev.runbook.testkit.FakeActionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cert.inspect} when the file cannot be read or is not a certificate. */
class InspectFailuresTest {

  private static final Instant NOW = InspectActionTest.NOW;

  @TempDir Path dir;
  private FakeActionContext context;
  private final InspectAction action = new InspectAction();
  private Issued ca;

  @BeforeEach
  void setUp() {
    context = LocalContext.at(NOW, dir);
    ca = TestCertificates.ca("CN=erlclu CA").issue();
  }

  private String flinkPattern() {
    return ShellQuoting.quote(dir.resolve("Big Data").toString()) + InspectActionTest.FLINK_CERT;
  }

  @Test
  void noMatchingFileIsNotFoundWithThePattern() throws Exception {
    StepResult result = action.execute(request("path", flinkPattern()), context);

    assertThat(result.failure())
        .hasValueSatisfying(
            failure -> {
              assertThat(failure.kind()).isEqualTo(FailureKind.NOT_FOUND);
              assertThat(failure.message())
                  .isEqualTo("path: no file matches " + flinkPattern() + " on local");
            });
  }

  @Test
  void aPatternMatchingSeveralFilesIsAConfigFailureListingThem() throws Exception {
    Path a = ca.writePem(dir.resolve("a.crt"));
    Path b = ca.writePem(dir.resolve("b.crt"));
    String pattern = ShellQuoting.quote(dir.toString()) + "/*.crt";

    StepResult result = action.execute(request("path", pattern), context);

    assertFailure(
        result,
        FailureKind.CONFIG,
        "path: " + pattern + " matches 2 files on local (" + a + ", " + b + "); make it match one");
  }

  @Test
  void aTextFileIsNotACertificate() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.crt"), "hello world\n");

    assertFailure(
        action.execute(request("path", file.toString()), context),
        FailureKind.CONFIG,
        "path "
            + file
            + " on local is not a certificate: found 12 bytes of text without a PEM block");
  }

  @Test
  void aPrivateKeyIsNotACertificateAndIsNotQuoted() throws Exception {
    Path file = Files.writeString(dir.resolve("server.key"), ca.privateKeyPem());

    assertFailure(
        action.execute(request("path", file.toString()), context),
        FailureKind.CONFIG,
        "path "
            + file
            + " on local is not a certificate: found PEM blocks of other types: PRIVATE KEY");
  }

  @Test
  void emptyAndBinaryFilesAreNotCertificates() throws Exception {
    Path empty = Files.write(dir.resolve("empty.crt"), new byte[0]);
    Path binary =
        Files.write(dir.resolve("random.der"), new byte[] {0x30, 0x03, 0x02, 0x01, (byte) 0xff});

    assertFailure(
        action.execute(request("path", empty.toString()), context),
        FailureKind.CONFIG,
        "path " + empty + " on local is not a certificate: found nothing (it is empty)");
    assertFailure(
        action.execute(request("path", binary.toString()), context),
        FailureKind.CONFIG,
        "path "
            + binary
            + " on local is not a certificate: found 5 bytes of binary data that are"
            + " not a DER-encoded certificate");
  }

  @Test
  void aCorruptCertificateBlockIsNotACertificate() throws Exception {
    String corrupt = "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n";

    StepResult result = action.execute(request("pem", corrupt), context);

    assertThat(result.failure().orElseThrow().kind()).isEqualTo(FailureKind.CONFIG);
    assertThat(result.failure().orElseThrow().message())
        .startsWith("pem is not a certificate: found a PEM block that cannot be decoded (");
  }

  @Test
  void aDirectoryIsNotARegularFile() throws Exception {
    assertFailure(
        action.execute(request("path", dir.toString()), context),
        FailureKind.CONFIG,
        "path: " + dir + " on local is not a regular file");
  }

  @Test
  void aBrokenPatternIsANonZeroExitWithTheShellsWords() throws Exception {
    StepResult result = action.execute(request("path", "/etc/'unclosed"), context);

    assertThat(result.failure().orElseThrow().kind()).isEqualTo(FailureKind.NON_ZERO_EXIT);
    assertThat(result.failure().orElseThrow().message())
        .startsWith("path: reading /etc/'unclosed on local exited with status 2: ");
    assertThat(context.lines()).isNotEmpty().allMatch(line -> line.startsWith("err:"));
  }

  @Test
  void theTransportsTimeoutIsPassedThrough() throws Exception {
    FakeActionContext impatient = LocalContext.at(NOW, dir, Duration.ofMillis(300));

    assertFailure(
        action.execute(request("path", "$(sleep 30)/server.crt"), impatient),
        FailureKind.TIMEOUT,
        "still running after 300 ms; stopped it and its children");
  }
}
