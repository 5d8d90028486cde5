package dev.runbook.cli;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Stands in for cert-manager's CA issuer, which cannot run here: it signs a node certificate with
 * whatever CA key pair the secret {@code erlclu-ca-key-pair} holds, as cert-manager does for a pod
 * that starts. The key pair comes as PEM text, as {@code kubectl create secret tls} stored it, so a
 * CA the runbook issued signs the certificates of the "new" pods.
 */
final class CertManagerStandIn {

  /** cert-manager's default duration when a request gives none (the document: three months). */
  static final Duration NODE_CERT_VALIDITY = Duration.ofDays(90);

  private static final AtomicLong SERIAL = new AtomicLong(0x5000);

  private CertManagerStandIn() {}

  /**
   * A node certificate for {@code subject}, signed by the CA in {@code caPem} and {@code keyPem}.
   */
  static String nodeCertificate(String caPem, String keyPem, String subject) {
    try {
      X509CertificateHolder ca = (X509CertificateHolder) read(caPem);
      PrivateKey caKey = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) read(keyPem));
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair node = generator.generateKeyPair();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              ca.getSubject(),
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofMinutes(1))),
              Date.from(now.plus(NODE_CERT_VALIDITY)),
              new X500Name(subject),
              node.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      X509CertificateHolder leaf =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey));
      StringWriter pem = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
        writer.writeObject(leaf);
      }
      return pem.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a node certificate for " + subject, e);
    }
  }

  private static Object read(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object == null) {
        throw new IOException("no PEM object in: " + pem.lines().findFirst().orElse(""));
      }
      return object;
    }
  }
}
