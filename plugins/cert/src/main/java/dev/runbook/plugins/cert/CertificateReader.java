package dev.runbook.plugins.cert;

import dev.runbook.api.FailureKind;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Turns the bytes of a file, or a text input, into the first X.509 certificate they hold: PEM (the
 * first {@code CERTIFICATE} block of a chain or bundle), DER, or either of those base64-encoded as
 * a Kubernetes secret's {@code data} holds them.
 *
 * <p>When there is no certificate, the message says what was found by its kind and size only
 * (empty, text without PEM, a private key block, binary data), never by its content: a path that
 * points at the wrong file may well point at a key or a password.
 */
final class CertificateReader {

  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=\\s]+");

  private CertificateReader() {}

  /**
   * The first certificate in {@code content}.
   *
   * @param from what the bytes are, for messages: {@code path /etc/x.crt on local}
   */
  static X509CertificateHolder parse(byte[] content, String from) throws CertFailure {
    X509CertificateHolder certificate = parse(content, from, true);
    if (certificate == null) {
      throw notACertificate(from, describe(content));
    }
    return certificate;
  }

  private static X509CertificateHolder parse(byte[] content, String from, boolean mayBeBase64)
      throws CertFailure {
    // ISO-8859-1 maps every byte to a char, so binary data never fails to decode.
    String text = new String(content, StandardCharsets.ISO_8859_1);
    if (text.contains("-----BEGIN ")) {
      return fromPem(text, from);
    }
    X509CertificateHolder der = fromDer(content);
    if (der != null) {
      return der;
    }
    String trimmed = text.strip();
    if (mayBeBase64 && !trimmed.isEmpty() && BASE64.matcher(trimmed).matches()) {
      try {
        return parse(Base64.getMimeDecoder().decode(trimmed), from, false);
      } catch (IllegalArgumentException e) {
        return null; // base64's alphabet, but not base64
      }
    }
    return null;
  }

  private static X509CertificateHolder fromPem(String text, String from) throws CertFailure {
    List<String> otherTypes = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(text))) {
      for (PemObject block = reader.readPemObject();
          block != null;
          block = reader.readPemObject()) {
        switch (block.getType()) {
          case "CERTIFICATE", "X509 CERTIFICATE":
            return new X509CertificateHolder(block.getContent());
          case "TRUSTED CERTIFICATE":
            return new X509TrustedCertificateBlock(block.getContent()).getCertificateHolder();
          default:
            otherTypes.add(block.getType());
        }
      }
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle reports bad base64 and malformed ASN.1 with either.
      throw notACertificate(from, "a PEM block that cannot be decoded (" + e.getMessage() + ")");
    }
    if (otherTypes.isEmpty()) {
      throw notACertificate(from, "a '-----BEGIN' line but no complete PEM block");
    }
    throw notACertificate(from, "PEM blocks of other types: " + String.join(", ", otherTypes));
  }

  private static X509CertificateHolder fromDer(byte[] content) {
    if (content.length == 0 || content[0] != 0x30) { // every DER certificate is a SEQUENCE
      return null;
    }
    try {
      return new X509CertificateHolder(content);
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle reports malformed ASN.1 as IOException or IllegalArgumentException.
      return null;
    }
  }

  private static String describe(byte[] content) {
    if (content.length == 0) {
      return "nothing (it is empty)";
    }
    int printable = 0;
    for (byte b : content) {
      if ((b >= 0x20 && b < 0x7f) || b == '\n' || b == '\r' || b == '\t') {
        printable++;
      }
    }
    if (printable == content.length) {
      return content.length + " bytes of text without a PEM block";
    }
    return content.length + " bytes of binary data that are not a DER-encoded certificate";
  }

  private static CertFailure notACertificate(String from, String found) {
    return new CertFailure(FailureKind.CONFIG, from + " is not a certificate: found " + found);
  }
}
