package dev.runbook.plugins.cert;

import static dev.runbook.plugins.cert.StepResults.assertFailure;
import static dev.runbook.testkit.FakeActionContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.ShellQuoting;
import dev.runbook.api.StepResult;
import dev.runbook.fixtures.TestCertificates;
import dev.runbook.fixtures.TestCertificates.Issued;
import dev.runbook.testkit.FakeActionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyActionTest {

  static final Instant NOW = InspectActionTest.NOW; // 2023-01-07T17:49:51Z
  static final Instant LEAF_FROM = Instant.parse("2023-01-07T09:44:27Z");
  static final Instant LEAF_UNTIL = Instant.parse("2023-04-07T09:44:27Z");

  @TempDir Path dir;
  private final VerifyAction action = new VerifyAction();

  private FakeActionContext context() {
    return LocalContext.at(NOW, dir);
  }

  private static Issued ca(Instant from, Instant until) {
    return TestCertificates.ca("CN=erlclu CA").validity(from, until).issue();
  }

  private static Issued validCa() {
    return ca(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(335)));
  }

  private static Issued leaf(Issued signer, Instant from, Instant until) {
    return TestCertificates.leaf("CN=erlclu-node").signedBy(signer).validity(from, until).issue();
  }

  private StepResult verify(Issued leaf, Issued ca) throws Exception {
    return action.execute(request("pem", leaf.pem(), "ca_pem", ca.pem()), context());
  }

  @Test
  void aValidLeafOfAValidCaIsOk() throws Exception {
    Issued ca = validCa();
    Path leafFile = leaf(ca, LEAF_FROM, LEAF_UNTIL).writePem(dir.resolve("tls-dist.crt"));
    Path caFile = ca.writePem(dir.resolve("erlclu ca.crt"));

    StepResult result =
        action.execute(
            request(
                "path",
                ShellQuoting.quote(dir.toString()) + "/tls-*.crt",
                "ca_path",
                ShellQuoting.quote(caFile.toString())),
            context());

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("valid", true);
    expected.put("reason", "ok");
    expected.put(
        "detail",
        "CN=erlclu-node is signed by CN=erlclu CA; the leaf is valid until 2023-04-07T09:44:27Z,"
            + " the CA until 2023-12-08T17:49:51Z");
    expected.put("leafSubject", "CN=erlclu-node");
    expected.put("caSubject", "CN=erlclu CA");
    expected.put("leafDaysLeft", 89L);
    expected.put("caDaysLeft", 335L);
    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    assertThat(result.data()).containsExactlyEntriesOf(expected);
    assertThat(leafFile).exists();
  }

  @Test
  void anExpiredCaIsReportedAsSuchWhileTheLeafIsStillValid() throws Exception {
    // The Erlang cluster: a 30-day CA that expired on New Year, pods with brand-new leaves.
    Issued ca = ca(Instant.parse("2022-12-02T08:25:09Z"), Instant.parse("2023-01-01T08:25:09Z"));

    StepResult result = verify(leaf(ca, LEAF_FROM, LEAF_UNTIL), ca);

    assertThat(result.isSuccess()).isTrue();
    assertThat(result.data())
        .containsEntry("valid", false)
        .containsEntry("reason", "ca-expired")
        .containsEntry(
            "detail",
            "the CA certificate CN=erlclu CA expired on 2023-01-01T08:25:09Z; the leaf"
                + " CN=erlclu-node is valid until 2023-04-07T09:44:27Z")
        .containsEntry("caDaysLeft", -7L)
        .containsEntry("leafDaysLeft", 89L);
  }

  @Test
  void anExpiredLeafOfAValidCaIsLeafExpired() throws Exception {
    Issued ca = validCa();

    StepResult result =
        verify(leaf(ca, NOW.minus(Duration.ofDays(20)), NOW.minus(Duration.ofDays(2))), ca);

    assertThat(result.data())
        .containsEntry("valid", false)
        .containsEntry("reason", "leaf-expired")
        .containsEntry(
            "detail", "the leaf certificate CN=erlclu-node expired on 2023-01-05T17:49:51Z")
        .containsEntry("leafDaysLeft", -2L);
  }

  @Test
  void certificatesFromTheFutureAreNotYetValid() throws Exception {
    Issued futureCa = ca(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(100)));
    Issued ca = validCa();

    assertThat(verify(leaf(futureCa, LEAF_FROM, LEAF_UNTIL), futureCa).data())
        .containsEntry("reason", "ca-not-yet-valid")
        .containsEntry(
            "detail", "the CA certificate CN=erlclu CA is not valid before 2023-01-08T17:49:51Z");
    assertThat(verify(leaf(ca, NOW.plusSeconds(3600), LEAF_UNTIL), ca).data())
        .containsEntry("reason", "leaf-not-yet-valid")
        .containsEntry(
            "detail",
            "the leaf certificate CN=erlclu-node is not valid before 2023-01-07T18:49:51Z");
  }

  @Test
  void aLeafOfAnotherCaWithTheSameNameIsNotSignedByIt() throws Exception {
    // Re-issued CA, same subject, new key: the old leaves do not chain to it.
    Issued oldCa = validCa();
    Issued newCa = validCa();

    assertThat(verify(leaf(oldCa, LEAF_FROM, LEAF_UNTIL), newCa).data())
        .containsEntry("valid", false)
        .containsEntry("reason", "not-signed-by-ca")
        .containsEntry(
            "detail",
            "the leaf CN=erlclu-node names CN=erlclu CA as its issuer, but its signature was not"
                + " made with that CA's key");
  }

  @Test
  void aLeafOfADifferentlyNamedCaIsNotSignedByIt() throws Exception {
    Issued other = TestCertificates.ca("CN=other CA").issue();

    assertThat(verify(leaf(other, LEAF_FROM, LEAF_UNTIL), validCa()).data())
        .containsEntry("reason", "not-signed-by-ca")
        .containsEntry(
            "detail",
            "the leaf CN=erlclu-node was issued by CN=other CA, not by the CA CN=erlclu CA");
  }

  @Test
  void aLeafSignedByALeafIsNotSignedByACa() throws Exception {
    Issued notACa = TestCertificates.leaf("CN=impostor").issue();
    Issued leaf = TestCertificates.leaf("CN=erlclu-node").signedBy(notACa).issue();

    assertThat(verify(leaf, notACa).data())
        .containsEntry("valid", false)
        .containsEntry("reason", "ca-is-not-a-ca")
        .containsEntry(
            "detail", "CN=impostor is not a CA certificate (no basicConstraints CA:TRUE)");
  }

  @Test
  void theSignatureIsCheckedBeforeEitherDate() throws Exception {
    Issued expiredOther = ca(NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(30)));
    Issued expiredCa = ca(NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(30)));

    assertThat(verify(leaf(expiredOther, LEAF_FROM, LEAF_UNTIL), expiredCa).data())
        .containsEntry("reason", "not-signed-by-ca");
  }

  @Test
  void anUnreadableCaFailsTheStep() throws Exception {
    StepResult result =
        action.execute(
            request(
                "pem", validCa().pem(), "ca_path", ShellQuoting.quote(dir + "/missing") + "/*.crt"),
            context());

    assertFailure(
        result,
        FailureKind.NOT_FOUND,
        "ca_path: no file matches " + ShellQuoting.quote(dir + "/missing") + "/*.crt on local");
  }

  @Test
  void previewNamesBothCertificates() {
    assertThat(action.preview(request("path", "/etc/erlclu/tls-dist.crt", "ca_pem", "x")))
        .isEqualTo(
            new PlannedAction(
                "local",
                "verify the leaf, the first certificate in /etc/erlclu/tls-dist.crt, against the"
                    + " CA, the certificate given in 'ca_pem'",
                false));
  }

  @Test
  void needsOneLeafAndOneCa() {
    assertThat(action.checkInputs(Set.of("path", "pem", "ca_pem")))
        .containsExactly(
            "action 'cert.verify' needs exactly one of 'path' and 'pem' for the leaf certificate");
    assertThat(action.checkInputs(Set.of("path")))
        .containsExactly(
            "action 'cert.verify' needs exactly one of 'ca_path' and 'ca_pem' for the CA"
                + " certificate");
    assertThat(action.checkInputs(Set.of("pem", "ca_path"))).isEmpty();
  }
}
