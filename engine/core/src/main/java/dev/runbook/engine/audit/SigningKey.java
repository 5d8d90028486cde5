package dev.runbook.engine.audit;

import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The engine's Ed25519 signing key (the JDK's own EdDSA): it signs each run's head and each line of
 * the run ledger, so that a trail rewritten with a recomputed chain no longer verifies.
 *
 * <p>The key file holds the private key (PKCS#8) and its public key (X.509), both PEM, as {@code
 * runbook audit keygen} writes it. It must be readable by its owner only and must not live in the
 * state directory: whoever can read it can sign anything.
 *
 * <p>Thread-safe: each signature uses its own {@link Signature}.
 */
public final class SigningKey {

  /** The environment variable that names the private key file. */
  public static final String ENVIRONMENT = "RUNBOOK_SIGNING_KEY";

  static final String ALGORITHM = "Ed25519";

  /** The key cannot be used: missing, unreadable, too open, in the wrong place, or not a key. */
  public static final class Unusable extends IOException {
    private static final long serialVersionUID = 1L;

    public Unusable(String message) {
      super(message);
    }
  }

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String fingerprint;
  private final Path file;

  private SigningKey(PrivateKey privateKey, PublicKey publicKey, Path file) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.fingerprint = fingerprint(publicKey);
    this.file = file;
  }

  /** A fresh key pair (for {@code audit keygen}). */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 17 has Ed25519", e);
    }
  }

  /** The files {@link #writePair} wrote. */
  public record KeyFiles(Path privateKey, Path publicKey, String fingerprint) {}

  /**
   * Makes a new key pair and writes {@code NAME.key} (0600, in a directory made 0700 when missing)
   * and {@code NAME.pub} (0644) in {@code dir}; never overwrites.
   *
   * @throws java.nio.file.FileAlreadyExistsException when either file exists
   */
  public static KeyFiles writePair(Path dir, String name) throws IOException {
    PrivateFiles.createDirectories(dir);
    KeyPair pair = generate();
    Path privateFile = dir.resolve(name + ".key");
    Path publicFile = dir.resolve(name + ".pub");
    writeNew(privateFile, privateFileText(pair));
    writeNew(publicFile, publicFileText(pair.getPublic()));
    Files.setPosixFilePermissions(publicFile, PosixFilePermissions.fromString("rw-r--r--"));
    return new KeyFiles(privateFile, publicFile, fingerprint(pair.getPublic()));
  }

  private static void writeNew(Path file, String text) throws IOException {
    try (var channel =
        PrivateFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      var buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  /** The private key file's text: the private key, then its public key, both PEM. */
  public static String privateFileText(KeyPair pair) {
    return "# runbook signing key "
        + fingerprint(pair.getPublic())
        + ": keep it readable by the engine's user only, outside the state directory\n"
        + Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded())
        + Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  /**
   * The public key file's text ({@code --key FILE}; several such files concatenated trust several
   * keys).
   */
  public static String publicFileText(PublicKey key) {
    return "# runbook signing key "
        + fingerprint(key)
        + "\n"
        + Pem.encode("PUBLIC KEY", key.getEncoded());
  }

  /**
   * The key {@value #ENVIRONMENT} names, or null when it is not set.
   *
   * @param stateDir the state directory, where the key must not be
   * @throws Unusable with a message for the operator
   */
  public static SigningKey fromEnvironment(Path stateDir) throws Unusable {
    return fromEnvironment(System::getenv, stateDir);
  }

  /** {@link #fromEnvironment(Path)} reading the variables from {@code environment} (tests). */
  static SigningKey fromEnvironment(Function<String, String> environment, Path stateDir)
      throws Unusable {
    String name = environment.apply(ENVIRONMENT);
    if (name == null || name.isBlank()) {
      return null;
    }
    return load(Path.of(name), stateDir);
  }

  /** Loads and checks a private key file. */
  public static SigningKey load(Path file, Path stateDir) throws Unusable {
    String where = ENVIRONMENT + "=" + file;
    Set<PosixFilePermission> mode;
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.exists(file)) {
          throw new NoSuchFileException(file.toString());
        }
        throw new Unusable(where + ": not a regular file");
      }
      mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (stateDir != null
          && Files.exists(stateDir)
          && file.toRealPath().startsWith(stateDir.toRealPath())) {
        throw new Unusable(
            where
                + ": the private key is inside the state directory "
                + stateDir
                + "; keep it elsewhere, readable by the engine's user only (anyone who can write"
                + " the trails could otherwise read it and sign forgeries)");
      }
      Set<PosixFilePermission> open =
          EnumSet.of(
              PosixFilePermission.GROUP_READ,
              PosixFilePermission.GROUP_WRITE,
              PosixFilePermission.OTHERS_READ,
              PosixFilePermission.OTHERS_WRITE);
      open.retainAll(mode);
      if (!open.isEmpty()) {
        throw new Unusable(
            where
                + ": the private key is readable or writable by group or others (mode "
                + PosixFilePermissions.toString(mode)
                + "); run: chmod 600 "
                + file);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new Unusable(where + ": no such file (runbook audit keygen --out DIR makes one)");
    } catch (Unusable e) {
      throw e;
    } catch (IOException e) {
      throw new Unusable(where + ": cannot read it: " + e.getMessage());
    }
    try {
      List<Pem.Block> blocks = Pem.decode(new String(bytes, StandardCharsets.US_ASCII));
      PrivateKey privateKey = null;
      PublicKey publicKey = null;
      KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
      for (Pem.Block block : blocks) {
        if (block.label().equals("PRIVATE KEY")) {
          privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(block.der()));
        } else if (block.label().equals("PUBLIC KEY")) {
          publicKey = factory.generatePublic(new X509EncodedKeySpec(block.der()));
        }
      }
      if (privateKey == null || publicKey == null) {
        throw new Unusable(
            where
                + ": expected an Ed25519 PRIVATE KEY and its PUBLIC KEY (as runbook audit keygen"
                + " writes them)");
      }
      SigningKey key = new SigningKey(privateKey, publicKey, file);
      byte[] probe = "runbook key check".getBytes(StandardCharsets.US_ASCII);
      if (!TrustedKeys.verifies(publicKey, probe, key.sign(probe))) {
        throw new Unusable(where + ": its public key does not belong to its private key");
      }
      return key;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new Unusable(where + ": not an Ed25519 key file: " + e.getMessage());
    }
  }

  /** The Ed25519 signature of {@code message}. */
  public byte[] sign(byte[] message) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(privateKey);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with an Ed25519 key", e);
    }
  }

  /** {@link #sign} in base64. */
  String signBase64(byte[] message) {
    return Base64.getEncoder().encodeToString(sign(message));
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** {@code SHA256:} and the base64 of the public key's SHA-256, as OpenSSH shows keys. */
  public String fingerprint() {
    return fingerprint;
  }

  public Path file() {
    return file;
  }

  /** The fingerprint of a public key. */
  public static String fingerprint(PublicKey key) {
    return "SHA256:"
        + Base64.getEncoder()
            .withoutPadding()
            .encodeToString(Hashes.digest().digest(key.getEncoded()));
  }
}
