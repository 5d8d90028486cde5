package dev.runbook.plugins.cert;

import dev.runbook.api.FailureKind;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads an unencrypted private key in the PEM forms openssl writes: PKCS#8 ({@code PRIVATE KEY},
 * from {@code openssl genpkey}) and the traditional {@code EC PRIVATE KEY} / {@code RSA PRIVATE
 * KEY} (from {@code openssl ecparam -genkey} and {@code genrsa}), skipping an {@code EC PARAMETERS}
 * block before it. Messages never quote the file: it is a key.
 */
final class PrivateKeyReader {

  private PrivateKeyReader() {}

  /** The key and the OID-based information needed to choose a signature algorithm. */
  record Key(PrivateKey privateKey, PrivateKeyInfo info) {}

  static Key parse(byte[] content, String from) throws CertFailure {
    PrivateKeyInfo info = find(new String(content, StandardCharsets.US_ASCII), from);
    try {
      return new Key(new JcaPEMKeyConverter().setProvider(Bc.provider()).getPrivateKey(info), info);
    } catch (PEMException e) {
      throw new CertFailure(
          FailureKind.CONFIG,
          from
              + " holds a private key of a kind this action cannot use ("
              + info.getPrivateKeyAlgorithm().getAlgorithm()
              + ")",
          e);
    }
  }

  private static PrivateKeyInfo find(String text, String from) throws CertFailure {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PEMKeyPair pair) {
          return pair.getPrivateKeyInfo();
        }
        if (object instanceof PrivateKeyInfo info) {
          return info;
        }
        if (object instanceof PEMEncryptedKeyPair
            || object instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new CertFailure(
              FailureKind.CONFIG,
              from
                  + " is an encrypted private key; this action takes no passphrase: "
                  + "give it an unencrypted copy on the target");
        }
        // EC PARAMETERS, certificates and the like: keep looking.
      }
    } catch (IOException | RuntimeException e) {
      // Deliberately not e.getMessage(): parsers may echo what they choked on.
      throw new CertFailure(
          FailureKind.CONFIG,
          from + " is not a PEM private key (" + e.getClass().getSimpleName() + ")",
          e);
    }
    throw new CertFailure(FailureKind.CONFIG, from + " holds no PEM private key");
  }
}
