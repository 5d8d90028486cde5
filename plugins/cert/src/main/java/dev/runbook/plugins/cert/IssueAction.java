package dev.runbook.plugins.cert;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.InputType;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.StepResult;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code cert.issue}: a new EC P-256 (prime256v1) key and a certificate for it, written as PEM to
 * the step's target: a self-signed CA ({@code ca: true}), or a certificate signed by an existing CA
 * ({@code signer_cert} and {@code signer_key}: a leaf, or an intermediate CA with {@code ca:
 * true}).
 *
 * <p>Inputs: {@code subject} (TEXT, required: {@code CN=erlclu-ca,O=example} or openssl's {@code
 * /O=example/CN=erlclu-ca}), {@code ca} (BOOL, default false), {@code days} (INT, default 365),
 * {@code sans} (LIST of DNS names and IP addresses), {@code signer_cert} and {@code signer_key}
 * (SHELL: files on the target, read like {@code cert.inspect}'s {@code path}; the key unencrypted
 * PEM), {@code cert_out} and {@code key_out} (TEXT, required: literal paths on the target, no globs
 * or variables; replaced if they exist). The key is written first with mode 0600, then the
 * certificate with mode 0644.
 *
 * <p>Refused before anything is written: a leaf without a signer, a signer that is not a CA or is
 * not valid now, a signer key that does not match its certificate. Result: {@code subject}, {@code
 * serial}, {@code notAfter}, {@code sha256} (as {@code cert.inspect} gives them), {@code cert_out},
 * {@code key_out}. Changes the system by default.
 */
final class IssueAction implements Action {

  static final int CERT_MODE = 0644;
  static final int KEY_MODE = 0600;

  private static final ActionDescriptor DESCRIPTOR =
      ActionDescriptor.builder(
              "cert.issue",
              "Make a new EC P-256 key and a certificate (self-signed CA, or signed by a CA)")
          .required("subject", InputType.TEXT, "the subject, such as CN=erlclu-ca,O=example")
          .optional("ca", InputType.BOOL, "true for a CA certificate (default false)")
          .optional("days", InputType.INT, "days of validity (default 365)")
          .optional("sans", InputType.LIST, "DNS names and IP addresses of a leaf")
          .optional(
              "signer_cert", InputType.SHELL, "the signing CA's certificate file on the target")
          .optional(
              "signer_key", InputType.SHELL, "the signing CA's private key file on the target")
          .required(
              "cert_out", InputType.TEXT, "where to write the certificate on the target (0644)")
          .required(
              "key_out", InputType.TEXT, "where to write the private key on the target (0600)")
          .build();

  @Override
  public ActionDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public List<String> checkInputs(Set<String> given) {
    if (given.contains("signer_cert") != given.contains("signer_key")) {
      return List.of(
          "action 'cert.issue' needs both 'signer_cert' and 'signer_key', or neither (with"
              + " 'ca: true', for a self-signed CA)");
    }
    return List.of();
  }

  @Override
  public PlannedAction preview(ActionRequest request) {
    boolean ca = Boolean.TRUE.equals(request.inputs().get("ca"));
    boolean signed = request.inputs().containsKey("signer_cert");
    StringBuilder plan = new StringBuilder("write a new EC prime256v1 private key to ");
    plan.append(request.masked("key_out"))
        .append(" (mode 0600) and a ")
        .append(ca ? "CA " : "")
        .append("certificate for ")
        .append(request.masked("subject"))
        .append(" to ")
        .append(request.masked("cert_out"))
        .append(" (mode 0644), valid ")
        .append(request.inputs().getOrDefault("days", IssueSpec.DEFAULT_DAYS))
        .append(" days, ");
    if (signed) {
      plan.append("signed by the CA in ")
          .append(request.shell("signer_cert").readable())
          .append(" with the key in ")
          .append(request.shell("signer_key").readable());
    } else {
      plan.append("self-signed");
    }
    if (request.inputs().get("sans") instanceof List<?> sans && !sans.isEmpty()) {
      plan.append(", SANs ")
          .append(String.join(", ", sans.stream().map(Object::toString).toList()));
    }
    return new PlannedAction(request.target().describe(), plan.toString(), request.changes());
  }

  @Override
  public StepResult execute(ActionRequest request, ActionContext context)
      throws InterruptedException {
    try {
      IssueSpec spec = IssueSpec.of(request);
      Instant now = context.clock().instant();
      CertificateIssuer.Signer signer = spec.signed() ? readSigner(request, context) : null;
      if (signer != null) {
        CertificateIssuer.checkSigner(signer, now);
      }
      CertificateIssuer.Issued issued = CertificateIssuer.issue(spec, signer, now);
      if (signer != null
          && Certificates.notAfter(issued.certificate())
              .isAfter(Certificates.notAfter(signer.certificate()))) {
        context
            .output()
            .stderr(
                "warning: the new certificate is valid until "
                    + Certificates.notAfter(issued.certificate())
                    + ", after its CA expires ("
                    + Certificates.notAfter(signer.certificate())
                    + ")");
      }
      write(context, spec, issued);
      return StepResult.succeeded(result(spec, issued));
    } catch (CertFailure e) {
      return StepResult.failed(e.toFailure());
    }
  }

  private static CertificateIssuer.Signer readSigner(ActionRequest request, ActionContext context)
      throws CertFailure, InterruptedException {
    TargetFiles.Read cert = TargetFiles.read(context, "signer_cert", request.shell("signer_cert"));
    TargetFiles.Read key = TargetFiles.read(context, "signer_key", request.shell("signer_key"));
    return new CertificateIssuer.Signer(
        CertificateReader.parse(
            cert.content(), "signer_cert " + cert.source() + " on " + cert.target()),
        PrivateKeyReader.parse(
            key.content(), "signer_key " + key.source() + " on " + key.target()));
  }

  /**
   * The key, then the certificate. If the second write fails the pair on disk no longer matches
   * whichever order is used, so the message says which file is already new.
   */
  private static void write(ActionContext context, IssueSpec spec, CertificateIssuer.Issued issued)
      throws CertFailure, InterruptedException {
    Transport transport;
    try {
      transport = context.transport();
      transport.writeFile(spec.keyOut(), issued.keyPem(), KEY_MODE);
    } catch (TransportException e) {
      throw CertFailure.of(e);
    }
    try {
      transport.writeFile(spec.certOut(), issued.certificatePem(), CERT_MODE);
    } catch (TransportException e) {
      throw new CertFailure(
          e.kind(),
          "the new key was written to "
              + spec.keyOut()
              + ", but not the certificate: "
              + e.getMessage(),
          e);
    }
  }

  private static Map<String, Object> result(IssueSpec spec, CertificateIssuer.Issued issued) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("subject", Certificates.name(issued.certificate().getSubject()));
    data.put("serial", Certificates.serial(issued.certificate().getSerialNumber()));
    data.put("notAfter", Certificates.notAfter(issued.certificate()).toString());
    data.put("sha256", Certificates.sha256(issued.certificate()));
    data.put("cert_out", spec.certOut());
    data.put("key_out", spec.keyOut());
    return data;
  }
}
