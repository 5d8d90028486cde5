package dev.runbook.plugins.cert;

import dev.runbook.api.FailureKind;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/** What one certificate says, in the forms results carry: strings, Longs, Booleans, lists. */
final class Certificates {

  private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

  private Certificates() {}

  /**
   * A distinguished name in the certificate's own attribute order (the order openssl prints),
   * {@code C=GB,O=differentpla.net,CN=erlclu CA}.
   */
  static String name(X500Name name) {
    return name.toString();
  }

  /** Upper-case hex, an even number of digits, as {@code openssl x509 -serial} prints it. */
  static String serial(BigInteger serial) {
    String hex = serial.toString(16).toUpperCase(Locale.ROOT);
    return hex.length() % 2 == 0 ? hex : "0" + hex;
  }

  /**
   * Whole days from {@code now} to {@code notAfter}, rounded down: 9.9 days left is 9, and a
   * certificate that expired a second ago has -1, so {@code daysLeft < 0} means expired.
   */
  static long daysLeft(Instant notAfter, Instant now) {
    return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), SECONDS_PER_DAY);
  }

  static Instant notBefore(X509CertificateHolder certificate) {
    return certificate.getNotBefore().toInstant();
  }

  static Instant notAfter(X509CertificateHolder certificate) {
    return certificate.getNotAfter().toInstant();
  }

  /** Past its notAfter; X.509 counts notAfter itself as valid. */
  static boolean expired(X509CertificateHolder certificate, Instant now) {
    return now.isAfter(notAfter(certificate));
  }

  static boolean notYetValid(X509CertificateHolder certificate, Instant now) {
    return now.isBefore(notBefore(certificate));
  }

  /** basicConstraints says CA:TRUE. */
  static boolean isCa(X509CertificateHolder certificate) {
    BasicConstraints constraints = BasicConstraints.fromExtensions(certificate.getExtensions());
    return constraints != null && constraints.isCA();
  }

  /** May sign certificates: CA:TRUE, and keyCertSign if it restricts its key usage at all. */
  static boolean maySignCertificates(X509CertificateHolder certificate) {
    KeyUsage usage = KeyUsage.fromExtensions(certificate.getExtensions());
    return isCa(certificate) && (usage == null || usage.hasUsages(KeyUsage.keyCertSign));
  }

  /**
   * Subject alternative names as plain strings: DNS names, IP addresses ({@code 10.0.0.1}), e-mail
   * addresses and URIs as they are; other kinds as {@code tag:value}.
   */
  static List<String> sans(X509CertificateHolder certificate) {
    Extensions extensions = certificate.getExtensions();
    GeneralNames names =
        extensions == null
            ? null
            : GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
    List<String> sans = new ArrayList<>();
    if (names != null) {
      for (GeneralName name : names.getNames()) {
        sans.add(text(name));
      }
    }
    return sans;
  }

  private static String text(GeneralName name) {
    if (name.getTagNo() == GeneralName.iPAddress) {
      byte[] address = ASN1OctetString.getInstance(name.getName()).getOctets();
      try {
        return InetAddress.getByAddress(address).getHostAddress(); // no lookup: bytes given
      } catch (UnknownHostException e) {
        return "IP:" + HexFormat.of().formatHex(address); // not 4 or 16 bytes
      }
    }
    if (name.getName() instanceof ASN1String string) {
      return string.getString();
    }
    return name.getTagNo() + ":" + name.getName();
  }

  /** The key's algorithm and size in bits; an unknown algorithm is its OID with size 0. */
  record KeyInfo(String type, long bits) {}

  static KeyInfo key(SubjectPublicKeyInfo info) {
    var oid = info.getAlgorithm().getAlgorithm();
    if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return new KeyInfo("Ed25519", 256);
    }
    if (oid.equals(EdECObjectIdentifiers.id_Ed448)) {
      return new KeyInfo("Ed448", 448);
    }
    if (!oid.equals(PKCSObjectIdentifiers.rsaEncryption)
        && !oid.equals(X509ObjectIdentifiers.id_ea_rsa)
        && !oid.equals(X9ObjectIdentifiers.id_ecPublicKey)
        && !oid.equals(X9ObjectIdentifiers.id_dsa)) {
      return new KeyInfo(oid.getId(), 0);
    }
    AsymmetricKeyParameter key;
    try {
      key = PublicKeyFactory.createKey(info);
    } catch (IOException | RuntimeException e) {
      return new KeyInfo(oid.getId(), 0); // e.g. an EC curve Bouncy Castle does not know
    }
    if (key instanceof RSAKeyParameters rsa) {
      return new KeyInfo("RSA", rsa.getModulus().bitLength());
    }
    if (key instanceof ECPublicKeyParameters ec) {
      return new KeyInfo("EC", ec.getParameters().getCurve().getFieldSize());
    }
    if (key instanceof DSAPublicKeyParameters dsa) {
      return new KeyInfo("DSA", dsa.getParameters().getP().bitLength());
    }
    return new KeyInfo(oid.getId(), 0);
  }

  /** SHA-256 of the DER encoding, colon-separated upper-case hex, as openssl prints it. */
  static String sha256(X509CertificateHolder certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException("SHA-256 of a parsed certificate", e); // cannot happen
    }
  }

  /** Whether {@code issuer}'s key made {@code certificate}'s signature (names aside). */
  static boolean signatureMadeBy(X509CertificateHolder certificate, X509CertificateHolder issuer)
      throws CertFailure {
    try {
      return certificate.isSignatureValid(
          new JcaContentVerifierProviderBuilder()
              .setProvider(Bc.provider())
              .build(issuer.getSubjectPublicKeyInfo()));
    } catch (CertException e) {
      return false; // the signature's algorithm does not fit the key: not made by it
    } catch (OperatorCreationException e) {
      throw new CertFailure(
          FailureKind.CONFIG,
          "cannot check signatures with the key of "
              + name(issuer.getSubject())
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Names itself as issuer and its own key verifies its signature; when the signature cannot be
   * checked at all (a key algorithm Bouncy Castle does not know), the names alone decide, so that
   * inspecting an unusual certificate still succeeds.
   */
  static boolean selfSigned(X509CertificateHolder certificate) {
    if (!certificate.getSubject().equals(certificate.getIssuer())) {
      return false;
    }
    try {
      return signatureMadeBy(certificate, certificate);
    } catch (CertFailure e) {
      return true;
    }
  }
}
