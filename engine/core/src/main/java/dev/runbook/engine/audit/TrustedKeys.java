package dev.runbook.engine.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The public keys whose signatures {@code audit verify} accepts, by fingerprint. Several keys at
 * once is how keys are rotated: trust the old and the new key, and runs signed by either verify.
 */
public final class TrustedKeys {

  /** What checking one signature found. */
  public enum Check {
    VALID,
    UNTRUSTED_KEY,
    BAD_SIGNATURE
  }

  /**
   * The environment variable naming a trusted-keys file for {@code audit show} and {@code list}.
   */
  public static final String ENVIRONMENT = "RUNBOOK_TRUSTED_KEYS";

  private final Map<String, PublicKey> keys;

  private TrustedKeys(Map<String, PublicKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  /**
   * The keys in the files {@value #ENVIRONMENT} names (colon-separated), or null when it is unset.
   *
   * @throws SigningKey.Unusable naming the file and what is wrong with it
   */
  public static TrustedKeys fromEnvironment() throws SigningKey.Unusable {
    return fromEnvironment(System::getenv);
  }

  /** {@link #fromEnvironment()} reading the variables from {@code environment} (tests). */
  static TrustedKeys fromEnvironment(Function<String, String> environment)
      throws SigningKey.Unusable {
    String value = environment.apply(ENVIRONMENT);
    List<Path> files = new ArrayList<>();
    if (value != null) {
      for (String part : value.split(":")) {
        if (!part.isBlank()) {
          files.add(Path.of(part));
        }
      }
    }
    return files.isEmpty() ? null : load(files);
  }

  public static TrustedKeys of(List<PublicKey> keys) {
    Map<String, PublicKey> byFingerprint = new LinkedHashMap<>();
    keys.forEach(k -> byFingerprint.put(SigningKey.fingerprint(k), k));
    return new TrustedKeys(byFingerprint);
  }

  /**
   * Every {@code PUBLIC KEY} block in the files (a {@code .pub} from {@code keygen}, or a
   * trusted-keys file that is several of them one after the other).
   *
   * @throws SigningKey.Unusable naming the file and what is wrong with it
   */
  public static TrustedKeys load(List<Path> files) throws SigningKey.Unusable {
    Map<String, PublicKey> byFingerprint = new LinkedHashMap<>();
    for (Path file : files) {
      String text;
      try {
        text = new String(TrailFiles.read(file), StandardCharsets.US_ASCII);
      } catch (NoSuchFileException e) {
        throw new SigningKey.Unusable(file + ": no such key file");
      } catch (IOException e) {
        throw new SigningKey.Unusable(file + ": " + e.getMessage());
      }
      int found = 0;
      try {
        KeyFactory factory = KeyFactory.getInstance(SigningKey.ALGORITHM);
        for (Pem.Block block : Pem.decode(text)) {
          if (block.label().contains("PRIVATE")) {
            throw new SigningKey.Unusable(
                file + ":" + block.line() + ": a PRIVATE key; give the public key (the .pub file)");
          }
          if (block.label().equals("PUBLIC KEY")) {
            PublicKey key = factory.generatePublic(new X509EncodedKeySpec(block.der()));
            byFingerprint.put(SigningKey.fingerprint(key), key);
            found++;
          }
        }
      } catch (IllegalArgumentException | GeneralSecurityException e) {
        throw new SigningKey.Unusable(file + ": not an Ed25519 public key file: " + e.getMessage());
      }
      if (found == 0) {
        throw new SigningKey.Unusable(file + ": holds no PUBLIC KEY block");
      }
    }
    return new TrustedKeys(byFingerprint);
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  public Set<String> fingerprints() {
    return keys.keySet();
  }

  /** Checks a base64 signature made by the key with {@code fingerprint}. */
  public Check check(String fingerprint, byte[] message, String signatureBase64) {
    PublicKey key = keys.get(fingerprint);
    if (key == null) {
      return Check.UNTRUSTED_KEY;
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(signatureBase64);
    } catch (IllegalArgumentException e) {
      return Check.BAD_SIGNATURE;
    }
    return verifies(key, message, signature) ? Check.VALID : Check.BAD_SIGNATURE;
  }

  static boolean verifies(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(SigningKey.ALGORITHM);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot verify an Ed25519 signature", e);
    }
  }
}
