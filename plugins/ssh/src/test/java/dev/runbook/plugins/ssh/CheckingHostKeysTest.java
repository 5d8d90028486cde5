package dev.runbook.plugins.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host-key decisions, against JSch's own known_hosts reading and keys made by the real {@code
 * ssh-keygen}: what is trusted, what is refused, and that a refusal never writes known_hosts.
 */
class CheckingHostKeysTest {

  private static final String HOST = "[127.0.0.2]:2222";

  @TempDir Path dir;
  private Path knownHosts;
  private byte[] ed25519;
  private byte[] otherEd25519;
  private byte[] ecdsa;

  @BeforeEach
  void keys() throws Exception {
    knownHosts = dir.resolve("known_hosts");
    ed25519 = key("ed25519", "a");
    otherEd25519 = key("ed25519", "b");
    ecdsa = key("ecdsa", "c");
  }

  /** A new key pair's public key blob, as a server presents it. */
  private byte[] key(String type, String name) throws Exception {
    Path file = dir.resolve(name);
    Process p =
        new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-f", file.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String pub = Files.readString(Path.of(file + ".pub"));
    return Base64.getDecoder().decode(pub.split(" ")[1]);
  }

  private String fingerprint(String name) throws Exception {
    Process p =
        new ProcessBuilder("ssh-keygen", "-l", "-f", dir.resolve(name + ".pub").toString()).start();
    String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return line.split(" ")[1];
  }

  private void trust(byte[] key) throws Exception {
    String type = new HostKey(HOST, key).getType();
    Files.writeString(
        knownHosts,
        HOST + " " + type + " " + Base64.getEncoder().encodeToString(key) + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private CheckingHostKeys keys(boolean acceptNew) throws Exception {
    if (!Files.exists(knownHosts)) {
      Files.writeString(knownHosts, "");
    }
    JSch jsch = new JSch();
    jsch.setKnownHosts(knownHosts.toString());
    return new CheckingHostKeys(jsch.getHostKeyRepository(), knownHosts, acceptNew);
  }

  @Test
  void aKnownKeyIsAccepted() throws Exception {
    trust(ed25519);
    CheckingHostKeys keys = keys(false);
    assertThat(keys.accepted()).isFalse();
    assertThat(keys.presentedFingerprint()).isNull();
    assertThat(keys.check(HOST, ed25519)).isEqualTo(HostKeyRepository.OK);
    assertThat(keys.accepted()).isTrue();
    assertThat(keys.presentedFingerprint()).isEqualTo("ssh-ed25519 " + fingerprint("a"));
    assertThat(keys.file()).isEqualTo(knownHosts);
  }

  @Test
  void anUnknownHostIsRefusedAndNothingIsWritten() throws Exception {
    trust(ecdsa);
    byte[] before = Files.readAllBytes(knownHosts);
    CheckingHostKeys keys = keys(false);
    assertThat(keys.check("[127.0.0.3]:2222", ed25519)).isEqualTo(HostKeyRepository.NOT_INCLUDED);
    assertThat(keys.accepted()).isFalse();
    assertThat(keys.presentedFingerprint()).isEqualTo("ssh-ed25519 " + fingerprint("a"));
    assertThat(Files.readAllBytes(knownHosts)).isEqualTo(before);
  }

  @Test
  void acceptNewAddsAnUnknownHostOnceAndKnowsItFromThenOn() throws Exception {
    CheckingHostKeys keys = keys(true);
    assertThat(keys.check(HOST, ed25519)).isEqualTo(HostKeyRepository.OK);
    assertThat(keys.accepted()).isTrue();
    assertThat(Files.readString(knownHosts))
        .isEqualTo(HOST + " ssh-ed25519 " + Base64.getEncoder().encodeToString(ed25519) + "\n");
    assertThat(keys.getHostKey(HOST, null)).hasSize(1);
    assertThat(keys(false).check(HOST, ed25519)).isEqualTo(HostKeyRepository.OK);
  }

  @Test
  void aChangedKeyIsRefusedEvenWithAcceptNewAndNothingIsWritten() throws Exception {
    trust(ed25519);
    byte[] before = Files.readAllBytes(knownHosts);
    for (boolean acceptNew : new boolean[] {false, true}) {
      CheckingHostKeys keys = keys(acceptNew);
      assertThat(keys.check(HOST, otherEd25519)).isEqualTo(HostKeyRepository.CHANGED);
      assertThat(keys.accepted()).isFalse();
      assertThat(keys.presentedFingerprint()).isEqualTo("ssh-ed25519 " + fingerprint("b"));
      assertThat(Files.readAllBytes(knownHosts)).isEqualTo(before);
    }
  }

  @Test
  void aKeyOfAnotherTypeForAKnownHostIsAChangedKey() throws Exception {
    trust(ed25519);
    byte[] before = Files.readAllBytes(knownHosts);
    for (boolean acceptNew : new boolean[] {false, true}) {
      CheckingHostKeys keys = keys(acceptNew);
      assertThat(keys.check(HOST, ecdsa)).isEqualTo(HostKeyRepository.CHANGED);
      assertThat(keys.presentedFingerprint()).startsWith("ecdsa-sha2-nistp256 SHA256:");
      assertThat(Files.readAllBytes(knownHosts)).isEqualTo(before);
    }
  }

  @Test
  void jschItselfNeverAddsKeysButMayRemoveThem() throws Exception {
    trust(ed25519);
    CheckingHostKeys keys = keys(false);
    keys.add(new HostKey("[127.0.0.9]:22", ecdsa), null);
    assertThat(keys.getHostKey("[127.0.0.9]:22", null)).isNullOrEmpty();
    assertThat(keys.getHostKey()).hasSize(1);
    assertThat(keys.getKnownHostsRepositoryID()).isEqualTo(knownHosts.toString());
    keys.remove(HOST, "ssh-ed25519", ed25519);
    assertThat(keys.getHostKey(HOST, null)).isNullOrEmpty();
    trust(ed25519);
    CheckingHostKeys again = keys(false);
    again.remove(HOST, "ssh-ed25519");
    assertThat(again.getHostKey(HOST, null)).isNullOrEmpty();
  }
}
