package dev.runbook.plugins.cert;

import java.time.Instant;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The outcome of checking a leaf against a CA at one instant.
 *
 * <p>{@code reason} is one of {@code ok}, {@code not-signed-by-ca}, {@code ca-is-not-a-ca}, {@code
 * ca-expired}, {@code ca-not-yet-valid}, {@code leaf-expired}, {@code leaf-not-yet-valid}: the
 * first problem in that order. The signature is checked first (a validity date of the wrong CA
 * means nothing), then the CA, then the leaf, so an expired CA is reported as {@code ca-expired}
 * even when the leaf, freshly issued, is fine: the confusion of "the pods have brand-new
 * certificates, so which one expired?".
 *
 * @param valid whether {@code reason} is {@code ok}
 * @param reason a stable word for conditions
 * @param detail one sentence for people, naming the certificate and the date
 */
record Verdict(boolean valid, String reason, String detail) {

  static Verdict of(X509CertificateHolder leaf, X509CertificateHolder ca, Instant now)
      throws CertFailure {
    String leafName = Certificates.name(leaf.getSubject());
    String caName = Certificates.name(ca.getSubject());
    if (!leaf.getIssuer().equals(ca.getSubject())) {
      return problem(
          "not-signed-by-ca",
          "the leaf "
              + leafName
              + " was issued by "
              + Certificates.name(leaf.getIssuer())
              + ", not by the CA "
              + caName);
    }
    if (!Certificates.signatureMadeBy(leaf, ca)) {
      return problem(
          "not-signed-by-ca",
          "the leaf "
              + leafName
              + " names "
              + caName
              + " as its issuer, but its signature was not made with that CA's key");
    }
    if (!Certificates.maySignCertificates(ca)) {
      return problem(
          "ca-is-not-a-ca",
          caName
              + (Certificates.isCa(ca)
                  ? " is a CA whose key usage does not allow signing certificates (keyCertSign)"
                  : " is not a CA certificate (no basicConstraints CA:TRUE)"));
    }
    if (Certificates.expired(ca, now)) {
      return problem(
          "ca-expired",
          "the CA certificate "
              + caName
              + " expired on "
              + Certificates.notAfter(ca)
              + (Certificates.expired(leaf, now)
                  ? "; the leaf " + leafName + " expired too, on " + Certificates.notAfter(leaf)
                  : "; the leaf " + leafName + " is valid until " + Certificates.notAfter(leaf)));
    }
    if (Certificates.notYetValid(ca, now)) {
      return problem(
          "ca-not-yet-valid",
          "the CA certificate " + caName + " is not valid before " + Certificates.notBefore(ca));
    }
    if (Certificates.expired(leaf, now)) {
      return problem(
          "leaf-expired",
          "the leaf certificate " + leafName + " expired on " + Certificates.notAfter(leaf));
    }
    if (Certificates.notYetValid(leaf, now)) {
      return problem(
          "leaf-not-yet-valid",
          "the leaf certificate "
              + leafName
              + " is not valid before "
              + Certificates.notBefore(leaf));
    }
    return new Verdict(
        true,
        "ok",
        leafName
            + " is signed by "
            + caName
            + "; the leaf is valid until "
            + Certificates.notAfter(leaf)
            + ", the CA until "
            + Certificates.notAfter(ca));
  }

  private static Verdict problem(String reason, String detail) {
    return new Verdict(false, reason, detail);
  }
}
