package dev.runbook.plugins.cert;

import dev.runbook.api.ActionRequest;
import dev.runbook.api.FailureKind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.util.IPAddress;

/**
 * The checked inputs of one {@code cert.issue} step.
 *
 * @param subject the new certificate's subject
 * @param ca whether it is a CA certificate
 * @param days how long it is valid
 * @param sans subject alternative names (DNS names and IP addresses)
 * @param signed whether a signer is given ({@code signer_cert} and {@code signer_key}); else
 *     self-signed
 * @param certOut where the certificate goes on the target
 * @param keyOut where the private key goes on the target
 */
record IssueSpec(
    X500Name subject,
    boolean ca,
    long days,
    List<GeneralName> sans,
    boolean signed,
    String certOut,
    String keyOut) {

  static final long DEFAULT_DAYS = 365;

  // A DNS name or a wildcard one: letters, digits, '-', '.', a leading "*.".
  private static final Pattern DNS = Pattern.compile("(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_.-]*)");

  static IssueSpec of(ActionRequest request) throws CertFailure {
    boolean ca = Boolean.TRUE.equals(request.inputs().get("ca"));
    boolean signed = request.inputs().containsKey("signer_cert");
    if (!ca && !signed) {
      throw config(
          "a leaf certificate needs 'signer_cert' and 'signer_key' (the CA that signs it);"
              + " for a self-signed CA say 'ca: true'");
    }
    Object days = request.inputs().getOrDefault("days", DEFAULT_DAYS);
    if (!(days instanceof Long count) || count < 1) {
      throw config("'days' must be a whole number of at least 1, not " + days);
    }
    String certOut = request.text("cert_out");
    String keyOut = request.text("key_out");
    if (certOut.equals(keyOut)) {
      throw config("'cert_out' and 'key_out' are the same file: " + certOut);
    }
    return new IssueSpec(
        subject(request.text("subject")), ca, count, sans(request), signed, certOut, keyOut);
  }

  /**
   * {@code CN=erlclu-ca,O=example} (RFC 4514 order as written) or openssl's {@code -subj} form
   * {@code /O=example/CN=erlclu-ca}, so a vendor's command line can be copied.
   */
  static X500Name subject(String text) throws CertFailure {
    try {
      if (!text.startsWith("/")) {
        X500Name name = new X500Name(BCStyle.INSTANCE, text);
        if (name.getRDNs().length == 0) {
          throw new IllegalArgumentException("no attribute");
        }
        return name;
      }
      X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
      for (String part : text.substring(1).split("/")) {
        int equals = part.indexOf('=');
        if (equals < 1) {
          throw new IllegalArgumentException("'" + part + "' is not NAME=value");
        }
        builder.addRDN(
            BCStyle.INSTANCE.attrNameToOID(part.substring(0, equals).strip()),
            part.substring(equals + 1));
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw config(
          "'subject' "
              + text
              + " is not a distinguished name such as CN=erlclu-ca,O=example: "
              + e.getMessage());
    }
  }

  private static List<GeneralName> sans(ActionRequest request) throws CertFailure {
    List<GeneralName> names = new ArrayList<>();
    Object value = request.inputs().get("sans");
    if (value instanceof List<?> list) {
      for (Object item : list) {
        String san = item.toString().strip();
        if (IPAddress.isValid(san)) {
          names.add(new GeneralName(GeneralName.iPAddress, san));
        } else if (DNS.matcher(san).matches()) {
          names.add(new GeneralName(GeneralName.dNSName, san));
        } else {
          throw config("'sans': '" + san + "' is neither a DNS name nor an IP address");
        }
      }
    }
    return List.copyOf(names);
  }

  private static CertFailure config(String message) {
    return new CertFailure(FailureKind.CONFIG, message);
  }
}
