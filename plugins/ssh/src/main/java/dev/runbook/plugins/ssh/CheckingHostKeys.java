package dev.runbook.plugins.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * known_hosts checking that remembers which key the server presented (so a refusal can show its
 * fingerprint and the command that trusts it) and implements {@code accept-new}: an unknown key is
 * appended to known_hosts; a changed key is refused, always.
 */
final class CheckingHostKeys implements HostKeyRepository {

  private final HostKeyRepository known;
  private final Path knownHostsFile;
  private final boolean acceptNew;
  private volatile String presentedHost;
  private volatile byte[] presentedKey;
  private volatile int verdict = -1;

  CheckingHostKeys(HostKeyRepository known, Path knownHostsFile, boolean acceptNew) {
    this.known = known;
    this.knownHostsFile = knownHostsFile;
    this.acceptNew = acceptNew;
  }

  @Override
  public int check(String host, byte[] key) {
    presentedHost = host;
    presentedKey = key.clone();
    int result = known.check(host, key);
    if (result == NOT_INCLUDED && hasAnyKey(host)) {
      // A host known by a key of another type (ed25519 known, now only RSA offered) is a changed
      // key, as OpenSSH treats it: never trusted, not even by accept-new.
      result = CHANGED;
    }
    if (result == NOT_INCLUDED && acceptNew) {
      append(host, key);
      result = OK;
    }
    verdict = result;
    return result;
  }

  private synchronized void append(String host, byte[] key) {
    try {
      HostKey hostKey = new HostKey(host, key);
      String line =
          host + " " + hostKey.getType() + " " + Base64.getEncoder().encodeToString(key) + "\n";
      Files.createDirectories(knownHostsFile.toAbsolutePath().getParent());
      Files.writeString(
          knownHostsFile,
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      known.add(hostKey, null);
    } catch (JSchException e) {
      throw new IllegalStateException("cannot read the host key of " + host, e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot add the host key of " + host + " to " + knownHostsFile, e);
    }
  }

  private boolean hasAnyKey(String host) {
    HostKey[] keys = known.getHostKey(host, null);
    return keys != null && keys.length > 0;
  }

  /**
   * Whether the server's key was checked and accepted: anything failing later is not about keys.
   */
  boolean accepted() {
    return verdict == OK;
  }

  /** {@code ED25519 SHA256:…} of the key the server presented, or null before any. */
  String presentedFingerprint() {
    byte[] key = presentedKey;
    if (key == null) {
      return null;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String digest = Base64.getEncoder().withoutPadding().encodeToString(sha.digest(key));
      return new HostKey(presentedHost, key).getType() + " SHA256:" + digest;
    } catch (JSchException | NoSuchAlgorithmException e) {
      return "(unreadable key)";
    }
  }

  Path file() {
    return knownHostsFile;
  }

  @Override
  public void add(HostKey hostkey, UserInfo ui) {
    // Only accept-new adds keys, through append(); JSch itself never adds any.
  }

  @Override
  public void remove(String host, String type) {
    known.remove(host, type);
  }

  @Override
  public void remove(String host, String type, byte[] key) {
    known.remove(host, type, key);
  }

  @Override
  public String getKnownHostsRepositoryID() {
    return known.getKnownHostsRepositoryID();
  }

  @Override
  public HostKey[] getHostKey() {
    return known.getHostKey();
  }

  @Override
  public HostKey[] getHostKey(String host, String type) {
    return known.getHostKey(host, type);
  }
}
