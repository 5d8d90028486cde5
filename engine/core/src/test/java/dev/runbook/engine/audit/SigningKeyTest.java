package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signing key as {@code audit keygen} writes it and the engine loads it: from {@code
 * RUNBOOK_SIGNING_KEY} (through the seam that takes the variables, so no test sets the real
 * environment), with every refusal an operator can meet named in one line.
 */
class SigningKeyTest {

  @TempDir Path tmp;

  @Test
  void writePairWritesAPrivateFileOnlyItsOwnerReadsAndAPublicFileThatLoadsAsTrusted()
      throws IOException {
    Path dir = tmp.resolve("keys");
    SigningKey.KeyFiles files = SigningKey.writePair(dir, "engine");

    assertThat(files.privateKey()).isEqualTo(dir.resolve("engine.key"));
    assertThat(files.publicKey()).isEqualTo(dir.resolve("engine.pub"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.publicKey())))
        .isEqualTo("rw-r--r--");
    assertThat(Files.readString(files.privateKey()))
        .startsWith("# runbook signing key " + files.fingerprint() + ": keep it readable")
        .contains("-----BEGIN PRIVATE KEY-----", "-----BEGIN PUBLIC KEY-----");
    assertThat(Files.readString(files.publicKey()))
        .startsWith("# runbook signing key " + files.fingerprint() + "\n-----BEGIN PUBLIC KEY-----")
        .doesNotContain("PRIVATE");

    SigningKey key = SigningKey.load(files.privateKey(), tmp.resolve("state"));
    assertThat(key.fingerprint()).isEqualTo(files.fingerprint()).startsWith("SHA256:");
    assertThat(key.file()).isEqualTo(files.privateKey());
    TrustedKeys trusted = TrustedKeys.load(List.of(files.publicKey()));
    assertThat(trusted.fingerprints()).containsExactly(files.fingerprint());
    byte[] message = "runbook trail head v1\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(trusted.check(key.fingerprint(), message, key.signBase64(message)))
        .isEqualTo(TrustedKeys.Check.VALID);
  }

  @Test
  void writePairNeverOverwritesAKey() throws IOException {
    SigningKey.KeyFiles first = SigningKey.writePair(tmp, "engine");
    String before = Files.readString(first.privateKey());
    assertThatThrownBy(() -> SigningKey.writePair(tmp, "engine"))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(first.privateKey())).isEqualTo(before);

    // a public file left alone (the private one moved away) is not overwritten either
    Files.delete(first.privateKey());
    String publicBefore = Files.readString(first.publicKey());
    assertThatThrownBy(() -> SigningKey.writePair(tmp, "engine"))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(first.publicKey())).isEqualTo(publicBefore);
  }

  @Test
  void theEnvironmentNamesTheKeyAndAnUnsetOrBlankVariableMeansUnsigned() throws IOException {
    SigningKey.KeyFiles files = SigningKey.writePair(tmp.resolve("keys"), "engine");
    Path state = tmp.resolve("state");

    SigningKey key =
        SigningKey.fromEnvironment(
            Map.of(SigningKey.ENVIRONMENT, files.privateKey().toString())::get, state);
    assertThat(key).isNotNull();
    assertThat(key.file()).isEqualTo(files.privateKey());
    assertThat(key.fingerprint()).isEqualTo(files.fingerprint());

    assertThat(SigningKey.fromEnvironment(Map.<String, String>of()::get, state)).isNull();
    assertThat(SigningKey.fromEnvironment(Map.of(SigningKey.ENVIRONMENT, "  ")::get, state))
        .isNull();
    // another variable holding a key path is not read
    assertThat(
            SigningKey.fromEnvironment(
                Map.of(TrustedKeys.ENVIRONMENT, files.privateKey().toString())::get, state))
        .isNull();
  }

  @Test
  void aKeyTheEnvironmentNamesButThatIsMissingIsRefusedWithTheWayToMakeOne() {
    Path missing = tmp.resolve("nowhere/engine.key");
    assertThatThrownBy(
            () ->
                SigningKey.fromEnvironment(
                    Map.of(SigningKey.ENVIRONMENT, missing.toString())::get, tmp.resolve("state")))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessage(
            "RUNBOOK_SIGNING_KEY="
                + missing
                + ": no such file (runbook audit keygen --out DIR makes one)");
  }

  @Test
  void aDirectoryOrASymlinkIsNotAKeyFile() throws IOException {
    SigningKey.KeyFiles files = SigningKey.writePair(tmp.resolve("keys"), "engine");
    Path dir = Files.createDirectories(tmp.resolve("a-dir.key"));
    assertThatThrownBy(() -> SigningKey.load(dir, null))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessage("RUNBOOK_SIGNING_KEY=" + dir + ": not a regular file");

    // a link could point anywhere later: the file itself must be the key
    Path link = Files.createSymbolicLink(tmp.resolve("link.key"), files.privateKey());
    assertThatThrownBy(() -> SigningKey.load(link, null))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessage("RUNBOOK_SIGNING_KEY=" + link + ": not a regular file");
  }

  @Test
  void aKeyWritableByOthersIsRefusedAndOneOnlyItsOwnerReadsLoads() throws IOException {
    SigningKey.KeyFiles files = SigningKey.writePair(tmp.resolve("keys"), "engine");
    Path file = files.privateKey();
    for (String mode : List.of("rw-----w-", "rw--w----", "rw----r--")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> SigningKey.load(file, null))
          .as(mode)
          .isInstanceOf(SigningKey.Unusable.class)
          .hasMessageContaining("(mode " + mode + "); run: chmod 600 " + file);
    }
    // execute bits give no one the key: they are not refused
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx--x--x"));
    assertThat(SigningKey.load(file, null).fingerprint()).isEqualTo(files.fingerprint());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(SigningKey.load(file, null).fingerprint()).isEqualTo(files.fingerprint());
  }

  @Test
  void aKeyBesideButNotInsideTheStateDirectoryLoads() throws IOException {
    Path state = Files.createDirectories(tmp.resolve("state"));
    // "state-keys" starts with the text "state" but is not inside it
    SigningKey.KeyFiles files = SigningKey.writePair(tmp.resolve("state-keys"), "engine");
    assertThat(SigningKey.load(files.privateKey(), state).fingerprint())
        .isEqualTo(files.fingerprint());

    Path inside = state.resolve("runs/engine.key");
    Files.createDirectories(inside.getParent());
    Files.copy(files.privateKey(), inside);
    assertThatThrownBy(() -> SigningKey.load(inside, state))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessage(
            "RUNBOOK_SIGNING_KEY="
                + inside
                + ": the private key is inside the state directory "
                + state
                + "; keep it elsewhere, readable by the engine's user only (anyone who can write"
                + " the trails could otherwise read it and sign forgeries)");
    // a state directory not made yet holds nothing
    assertThat(SigningKey.load(files.privateKey(), tmp.resolve("not-yet")).fingerprint())
        .isEqualTo(files.fingerprint());
  }

  @Test
  void aFileWithoutBothHalvesOrWithAnotherKeysPublicHalfIsRefused() throws IOException {
    KeyPair pair = SigningKey.generate();
    KeyPair other = SigningKey.generate();

    Path publicOnly = privateFile("public-only.key", SigningKey.publicFileText(pair.getPublic()));
    assertThatThrownBy(() -> SigningKey.load(publicOnly, null))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessage(
            "RUNBOOK_SIGNING_KEY="
                + publicOnly
                + ": expected an Ed25519 PRIVATE KEY and its PUBLIC KEY (as runbook audit keygen"
                + " writes them)");

    String privateBlock =
        SigningKey.privateFileText(pair)
            .substring(0, SigningKey.privateFileText(pair).indexOf("-----BEGIN PUBLIC KEY"));
    Path privateOnly = privateFile("private-only.key", privateBlock);
    assertThatThrownBy(() -> SigningKey.load(privateOnly, null))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessageContaining("expected an Ed25519 PRIVATE KEY and its PUBLIC KEY");

    Path mismatched =
        privateFile("mismatched.key", privateBlock + SigningKey.publicFileText(other.getPublic()));
    assertThatThrownBy(() -> SigningKey.load(mismatched, null))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessage(
            "RUNBOOK_SIGNING_KEY="
                + mismatched
                + ": its public key does not belong to its private key");
  }

  @Test
  void aFileThatIsNotAKeyIsRefusedAsSuch() throws IOException {
    Path garbage =
        privateFile(
            "garbage.key",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
                + "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    assertThatThrownBy(() -> SigningKey.load(garbage, null))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessageStartingWith("RUNBOOK_SIGNING_KEY=" + garbage + ": not an Ed25519 key file: ");
  }

  @Test
  void aSignatureVerifiesOnlyForItsMessageAndItsKey() throws IOException {
    SigningKey key = SigningKey.load(SigningKey.writePair(tmp, "a").privateKey(), null);
    SigningKey other = SigningKey.load(SigningKey.writePair(tmp, "b").privateKey(), null);
    byte[] message = "run 20261207-1\nseq 3\n".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = key.sign(message);

    assertThat(TrustedKeys.verifies(key.publicKey(), message, signature)).isTrue();
    assertThat(TrustedKeys.verifies(other.publicKey(), message, signature)).isFalse();
    assertThat(
            TrustedKeys.verifies(
                key.publicKey(),
                "run 20261207-1\nseq 4\n".getBytes(StandardCharsets.US_ASCII),
                signature))
        .isFalse();
    assertThat(key.fingerprint()).isNotEqualTo(other.fingerprint());
    assertThat(key.fingerprint()).isEqualTo(SigningKey.fingerprint(key.publicKey()));
  }

  private Path privateFile(String name, String text) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
