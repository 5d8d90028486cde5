package dev.runbook.plugins.cert;

import dev.runbook.api.FailureKind;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a new EC P-256 (prime256v1) key and a certificate for it, self-signed or signed by an
 * existing CA, in PEM: the certificate as {@code CERTIFICATE}, the key as unencrypted PKCS#8 {@code
 * PRIVATE KEY} (read by openssl, Erlang, Go, Python and Java alike).
 *
 * <p>Extensions: basicConstraints (critical), keyUsage (critical; keyCertSign and cRLSign for a CA,
 * digitalSignature for a leaf), extendedKeyUsage serverAuth and clientAuth for a leaf (cluster
 * members are both), subject and authority key identifiers, and the SANs.
 */
final class CertificateIssuer {

  /** A CA certificate and its private key, read from the target. */
  record Signer(X509CertificateHolder certificate, PrivateKeyReader.Key key) {}

  /** The new certificate and the two files' contents. */
  record Issued(X509CertificateHolder certificate, byte[] certificatePem, byte[] keyPem) {}

  // Hosts that check the certificate may run a little behind the engine's clock.
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private CertificateIssuer() {}

  /** Refuses a signer that cannot produce a certificate anyone would accept. */
  static void checkSigner(Signer signer, Instant now) throws CertFailure {
    X509CertificateHolder cert = signer.certificate();
    String name = Certificates.name(cert.getSubject());
    if (!Certificates.maySignCertificates(cert)) {
      throw config("signer_cert " + name + " is not a CA certificate allowed to sign certificates");
    }
    if (Certificates.expired(cert, now)) {
      throw config(
          "signer_cert "
              + name
              + " expired on "
              + Certificates.notAfter(cert)
              + ": a certificate it signs would not be accepted; renew the CA first");
    }
    // A CA made a moment ago on a host whose clock runs ahead of the engine's is fine: the same
    // skew that BACKDATE allows for.
    if (Certificates.notYetValid(cert, now.plus(BACKDATE))) {
      throw config("signer_cert " + name + " is not valid before " + Certificates.notBefore(cert));
    }
  }

  /**
   * Issues the certificate.
   *
   * @param signer the CA that signs it, or null for a self-signed one
   */
  static Issued issue(IssueSpec spec, Signer signer, Instant now) throws CertFailure {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Bc.provider());
      generator.initialize(new ECGenParameterSpec("prime256v1"), RANDOM);
      KeyPair keys = generator.generateKeyPair();
      Instant start = now.truncatedTo(ChronoUnit.SECONDS);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              signer == null ? spec.subject() : signer.certificate().getSubject(),
              new BigInteger(159, RANDOM).add(BigInteger.ONE), // positive, at most 20 bytes
              Date.from(start.minus(BACKDATE)),
              Date.from(start.plus(Duration.ofDays(spec.days()))),
              spec.subject(),
              keys.getPublic());
      addExtensions(builder, spec, keys, signer);
      PrivateKey signingKey = signer == null ? keys.getPrivate() : signer.key().privateKey();
      ASN1ObjectIdentifier keyAlgorithm =
          signer == null
              ? X9ObjectIdentifiers.id_ecPublicKey
              : signer.key().info().getPrivateKeyAlgorithm().getAlgorithm();
      X509CertificateHolder certificate =
          builder.build(
              new JcaContentSignerBuilder(signatureAlgorithm(keyAlgorithm))
                  .setProvider(Bc.provider())
                  .build(signingKey));
      if (signer != null && !Certificates.signatureMadeBy(certificate, signer.certificate())) {
        throw config(
            "signer_key does not belong to signer_cert "
                + Certificates.name(signer.certificate().getSubject())
                + ": nothing was written");
      }
      return new Issued(
          certificate, pem(certificate), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new CertFailure(
          FailureKind.PLUGIN_ERROR, "cannot issue the certificate: " + e.getMessage(), e);
    }
  }

  private static void addExtensions(
      X509v3CertificateBuilder builder, IssueSpec spec, KeyPair keys, Signer signer)
      throws IOException, GeneralSecurityException {
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.ca()));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(
            spec.ca() ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
    if (!spec.ca()) {
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    }
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
    builder.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        signer == null
            ? utils.createAuthorityKeyIdentifier(keys.getPublic())
            : authorityKeyIdentifier(signer.certificate(), utils));
    if (!spec.sans().isEmpty()) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(spec.sans().toArray(new GeneralName[0])));
    }
  }

  /** The signer's own key identifier when it has one, so chain builders match them exactly. */
  private static AuthorityKeyIdentifier authorityKeyIdentifier(
      X509CertificateHolder signer, JcaX509ExtensionUtils utils) {
    SubjectKeyIdentifier own = SubjectKeyIdentifier.fromExtensions(signer.getExtensions());
    return own != null
        ? new AuthorityKeyIdentifier(own.getKeyIdentifier())
        : utils.createAuthorityKeyIdentifier(signer.getSubjectPublicKeyInfo());
  }

  private static String signatureAlgorithm(ASN1ObjectIdentifier keyAlgorithm) throws CertFailure {
    if (keyAlgorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return "SHA256withECDSA";
    }
    if (keyAlgorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return "SHA256withRSA";
    }
    if (keyAlgorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return "Ed25519";
    }
    if (keyAlgorithm.equals(EdECObjectIdentifiers.id_Ed448)) {
      return "Ed448";
    }
    throw config(
        "signer_key is a "
            + keyAlgorithm.getId()
            + " key; this action signs with EC, RSA"
            + " and EdDSA keys");
  }

  private static byte[] pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static CertFailure config(String message) {
    return new CertFailure(FailureKind.CONFIG, message);
  }
}
