package dev.runbook.cli;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The certificate and key of a Kubernetes TLS secret ({@code tls.crt}, {@code tls.key}: PEM, the
 * key as PKCS#8), read with the JDK, so a test can check what a run stored.
 */
record TlsKeyPair(X509Certificate certificate, PrivateKey key) {

  static TlsKeyPair of(Map<String, String> secretData) throws GeneralSecurityException {
    X509Certificate certificate =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(
                        secretData.get("tls.crt").getBytes(StandardCharsets.US_ASCII)));
    String body =
        secretData.get("tls.key").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key =
        KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    return new TlsKeyPair(certificate, key);
  }

  /** The named curve of the certificate's EC key ({@code prime256v1}'s OID). */
  ASN1Encodable curve() throws Exception {
    return new X509CertificateHolder(certificate.getEncoded())
        .getSubjectPublicKeyInfo()
        .getAlgorithm()
        .getParameters();
  }

  /** Whether the key makes signatures that the certificate's public key verifies. */
  boolean keyMatches() throws GeneralSecurityException {
    byte[] message = "erlclu".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(message);
    return verifier.verify(signature);
  }
}
