package dev.runbook.plugins.cert;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.InputType;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.StepResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * {@code cert.verify}: is a leaf certificate signed by a CA certificate, and are both valid now?
 *
 * <p>Inputs: the leaf as {@code path} (SHELL, a file on the step's target) or {@code pem} (TEXT),
 * and the CA as {@code ca_path} or {@code ca_pem}; each read like {@code cert.inspect} reads, first
 * certificate only.
 *
 * <p>A verdict is data, not a failure: the step succeeds and runbooks branch with {@code if:
 * result.valid}. Result: {@code valid}, {@code reason} (see {@link Verdict}), {@code detail} (one
 * sentence for people), {@code leafSubject}, {@code caSubject}, {@code leafDaysLeft}, {@code
 * caDaysLeft} (as {@code cert.inspect}'s {@code daysLeft}). The step fails only when a certificate
 * cannot be read.
 */
final class VerifyAction implements Action {

  private static final ActionDescriptor DESCRIPTOR =
      ActionDescriptor.builder(
              "cert.verify",
              "Check that a certificate is signed by a CA and say which of the two is not valid now")
          .optional(
              "path",
              InputType.SHELL,
              "the leaf certificate file on the step's target; globs are expanded there")
          .optional("pem", InputType.TEXT, "the leaf certificate as text")
          .optional(
              "ca_path",
              InputType.SHELL,
              "the CA certificate file on the step's target; globs are expanded there")
          .optional("ca_pem", InputType.TEXT, "the CA certificate as text")
          .changesByDefault(false)
          .build();

  @Override
  public ActionDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public List<String> checkInputs(Set<String> given) {
    List<String> problems = new ArrayList<>();
    if (given.contains("path") == given.contains("pem")) {
      problems.add(
          "action 'cert.verify' needs exactly one of 'path' and 'pem' for the leaf certificate");
    }
    if (given.contains("ca_path") == given.contains("ca_pem")) {
      problems.add(
          "action 'cert.verify' needs exactly one of 'ca_path' and 'ca_pem' for the CA certificate");
    }
    return problems;
  }

  @Override
  public PlannedAction preview(ActionRequest request) {
    return new PlannedAction(
        request.target().describe(),
        "verify the leaf, "
            + CertificateSource.LEAF.describe(request)
            + ", against the CA, "
            + CertificateSource.CA.describe(request),
        request.changes());
  }

  @Override
  public StepResult execute(ActionRequest request, ActionContext context)
      throws InterruptedException {
    try {
      X509CertificateHolder leaf = CertificateSource.LEAF.load(request, context).certificate();
      X509CertificateHolder ca = CertificateSource.CA.load(request, context).certificate();
      Instant now = context.clock().instant();
      Verdict verdict = Verdict.of(leaf, ca, now);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("valid", verdict.valid());
      data.put("reason", verdict.reason());
      data.put("detail", verdict.detail());
      data.put("leafSubject", Certificates.name(leaf.getSubject()));
      data.put("caSubject", Certificates.name(ca.getSubject()));
      data.put("leafDaysLeft", Certificates.daysLeft(Certificates.notAfter(leaf), now));
      data.put("caDaysLeft", Certificates.daysLeft(Certificates.notAfter(ca), now));
      return StepResult.succeeded(data);
    } catch (CertFailure e) {
      return StepResult.failed(e.toFailure());
    }
  }
}
