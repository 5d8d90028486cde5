package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys {@code audit verify} trusts: read from {@code RUNBOOK_TRUSTED_KEYS} (through the seam
 * that takes the variables), several at once for rotation, and what a signature check answers.
 */
class TrustedKeysTest {

  private static final byte[] MESSAGE =
      TrailHead.statement("20261207-120000-abcd", 3, "ab".repeat(32));

  @TempDir Path tmp;
  private SigningKey engine;
  private SigningKey next;
  private Path enginePub;
  private Path nextPub;

  @BeforeEach
  void makeTwoKeys() throws IOException {
    engine = Trails.newKey(tmp, "engine");
    next = Trails.newKey(tmp, "next");
    enginePub = tmp.resolve("engine.pub");
    nextPub = tmp.resolve("next.pub");
  }

  @Test
  void theEnvironmentNamesKeyFilesSeparatedByColonsAndSkipsEmptyParts() throws IOException {
    TrustedKeys both =
        TrustedKeys.fromEnvironment(
            Map.of(TrustedKeys.ENVIRONMENT, ":" + enginePub + "::" + nextPub + ":")::get);
    assertThat(both.fingerprints()).containsExactly(engine.fingerprint(), next.fingerprint());
    assertThat(both.isEmpty()).isFalse();

    TrustedKeys one =
        TrustedKeys.fromEnvironment(Map.of("RUNBOOK_TRUSTED_KEYS", "" + nextPub)::get);
    assertThat(one.fingerprints()).containsExactly(next.fingerprint());
  }

  @Test
  void anUnsetOrEmptyVariableTrustsNothingAndIsNotAnError() throws IOException {
    assertThat(TrustedKeys.fromEnvironment(Map.<String, String>of()::get)).isNull();
    assertThat(TrustedKeys.fromEnvironment(Map.of(TrustedKeys.ENVIRONMENT, "")::get)).isNull();
    assertThat(TrustedKeys.fromEnvironment(Map.of(TrustedKeys.ENVIRONMENT, " : :")::get)).isNull();
    // the signing key's variable is not read as trusted keys
    assertThat(TrustedKeys.fromEnvironment(Map.of(SigningKey.ENVIRONMENT, "" + enginePub)::get))
        .isNull();
  }

  @Test
  void aMissingFileTheEnvironmentNamesIsRefusedByName() {
    Path missing = tmp.resolve("gone.pub");
    assertThatThrownBy(
            () ->
                TrustedKeys.fromEnvironment(
                    Map.of(TrustedKeys.ENVIRONMENT, enginePub + ":" + missing)::get))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessage(missing + ": no such key file");
  }

  @Test
  void aTrustedKeysFileIsSeveralPublicKeysOneAfterTheOther() throws IOException {
    Path file = tmp.resolve("trusted");
    Files.writeString(file, Files.readString(enginePub) + Files.readString(nextPub));
    TrustedKeys keys = TrustedKeys.load(List.of(file));
    assertThat(keys.fingerprints()).containsExactly(engine.fingerprint(), next.fingerprint());
  }

  @Test
  void aFileWithoutAPublicKeyOrWithAnotherKindOfKeyIsRefused() throws IOException {
    Path empty = tmp.resolve("empty.pub");
    Files.writeString(empty, "# no keys here\n");
    assertThatThrownBy(() -> TrustedKeys.load(List.of(enginePub, empty)))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessage(empty + ": holds no PUBLIC KEY block");

    Path rsa = tmp.resolve("cert.pem");
    Files.writeString(
        rsa,
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TrustedKeys.load(List.of(rsa)))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessageStartingWith(rsa + ": not an Ed25519 public key file: ");

    Path dir = Files.createDirectories(tmp.resolve("a-dir.pub"));
    assertThatThrownBy(() -> TrustedKeys.load(List.of(dir)))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessageStartingWith(dir + ": ");
  }

  @Test
  void noKeysIsEmpty() {
    assertThat(TrustedKeys.of(List.of()).isEmpty()).isTrue();
    assertThat(TrustedKeys.of(List.of()).fingerprints()).isEmpty();
    assertThat(Trails.trust(engine).isEmpty()).isFalse();
  }

  @Test
  void aSignatureByATrustedKeyOverTheMessageIsValid() {
    TrustedKeys keys = Trails.trust(engine, next);
    assertThat(keys.check(engine.fingerprint(), MESSAGE, engine.signBase64(MESSAGE)))
        .isEqualTo(TrustedKeys.Check.VALID);
    assertThat(keys.check(next.fingerprint(), MESSAGE, next.signBase64(MESSAGE)))
        .isEqualTo(TrustedKeys.Check.VALID);
  }

  @Test
  void aKeyThatIsNotTrustedIsNamedAsSuchWhateverItsSignature() {
    TrustedKeys keys = Trails.trust(next);
    assertThat(keys.check(engine.fingerprint(), MESSAGE, engine.signBase64(MESSAGE)))
        .isEqualTo(TrustedKeys.Check.UNTRUSTED_KEY);
  }

  @Test
  void aSignatureOverAnotherMessageByAnotherKeyOrNotBase64IsBad() {
    TrustedKeys keys = Trails.trust(engine, next);
    byte[] other = TrailHead.statement("20261207-120000-abcd", 4, "ab".repeat(32));
    assertThat(keys.check(engine.fingerprint(), other, engine.signBase64(MESSAGE)))
        .isEqualTo(TrustedKeys.Check.BAD_SIGNATURE);
    // next's signature presented as engine's
    assertThat(keys.check(engine.fingerprint(), MESSAGE, next.signBase64(MESSAGE)))
        .isEqualTo(TrustedKeys.Check.BAD_SIGNATURE);
    assertThat(keys.check(engine.fingerprint(), MESSAGE, "not base64 at all!"))
        .isEqualTo(TrustedKeys.Check.BAD_SIGNATURE);
    // base64, but not 64 bytes: the verifier refuses it rather than throwing
    assertThat(
            keys.check(
                engine.fingerprint(),
                MESSAGE,
                Base64.getEncoder().encodeToString("short".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo(TrustedKeys.Check.BAD_SIGNATURE);
  }
}
