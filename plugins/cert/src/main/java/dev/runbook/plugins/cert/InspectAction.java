package dev.runbook.plugins.cert;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.InputType;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.StepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * {@code cert.inspect}: reads one certificate (the first of a chain) and reports what it says.
 *
 * <p>Inputs, exactly one of: {@code path} (SHELL, the main input: a file on the step's target;
 * globs and {@code ${VAR}} are expanded there and must match exactly one file; PEM or DER), {@code
 * pem} (TEXT: the certificate itself, such as {@code ${steps.read.stdout}}; PEM, or PEM/DER in
 * base64 as a Kubernetes secret holds it) or {@code endpoint} (TEXT {@code host:port}: the
 * certificate a TLS server presents, fetched from the engine's machine and not trusted: for
 * inspection only).
 *
 * <p>Result: {@code subject}, {@code issuer} (distinguished names in the certificate's order,
 * {@code C=GB,O=example,CN=erlclu CA}), {@code serial} (upper-case hex), {@code notBefore}, {@code
 * notAfter} (ISO-8601 UTC, {@code 2023-01-01T08:25:09Z}), {@code daysLeft} (whole days from now to
 * notAfter, rounded down, negative once expired), {@code expired}, {@code notYetValid}, {@code
 * sans} (list of DNS names and IP addresses), {@code keyType} ({@code EC}, {@code RSA}, {@code
 * Ed25519}, …), {@code keySize} (bits), {@code isCa}, {@code selfSigned}, {@code sha256}
 * (colon-separated upper-case hex fingerprint of the DER, as openssl prints it) and {@code source}
 * (the file read, {@code pem}, or {@code tls://host:port}). Reads only: changes nothing by default.
 */
final class InspectAction implements Action {

  static final Duration DEFAULT_TLS_TIMEOUT = Duration.ofSeconds(30);

  private static final ActionDescriptor DESCRIPTOR =
      ActionDescriptor.builder(
              "cert.inspect",
              "Read one X.509 certificate and report its names, dates, key and fingerprint")
          .optional(
              "path",
              InputType.SHELL,
              "the certificate file on the step's target (PEM or DER); globs and $VARS are expanded"
                  + " there and must match one file")
          .shorthand()
          .optional(
              "pem", InputType.TEXT, "the certificate itself, as PEM text (or base64 of PEM/DER)")
          .optional(
              "endpoint",
              InputType.TEXT,
              "host:port of a TLS server whose certificate to fetch from the engine's machine"
                  + " (not trusted: inspection only)")
          .changesByDefault(false)
          .build();

  @Override
  public ActionDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public List<String> checkInputs(Set<String> given) {
    if (Stream.of("path", "pem", "endpoint").filter(given::contains).count() != 1) {
      return List.of(
          "action 'cert.inspect' needs exactly one of 'path' (a file on the target), 'pem' (the"
              + " certificate text) and 'endpoint' (host:port of a TLS server)");
    }
    return List.of();
  }

  @Override
  public PlannedAction preview(ActionRequest request) {
    if (request.inputs().containsKey("endpoint")) {
      return new PlannedAction(
          "local",
          "fetch the certificate that "
              + request.masked("endpoint")
              + " presents over TLS, from the engine's machine, and inspect it (not trusted;"
              + " nothing sent after the handshake)",
          request.changes());
    }
    return new PlannedAction(
        request.target().describe(),
        "inspect " + CertificateSource.LEAF.describe(request),
        request.changes());
  }

  @Override
  public StepResult execute(ActionRequest request, ActionContext context)
      throws InterruptedException {
    try {
      X509CertificateHolder certificate;
      String source;
      if (request.inputs().containsKey("endpoint")) {
        TlsProbe.Endpoint endpoint = TlsProbe.Endpoint.parse(request.text("endpoint"));
        certificate = TlsProbe.fetch(endpoint, context.timeout().orElse(DEFAULT_TLS_TIMEOUT));
        source = "tls://" + endpoint;
      } else {
        CertificateSource.Loaded loaded = CertificateSource.LEAF.load(request, context);
        certificate = loaded.certificate();
        source = loaded.source();
      }
      return StepResult.succeeded(describe(certificate, context.clock().instant(), source));
    } catch (CertFailure e) {
      return StepResult.failed(e.toFailure());
    }
  }

  /** The result fields, in the order the Javadoc lists them. */
  static Map<String, Object> describe(
      X509CertificateHolder certificate, Instant now, String source) {
    Certificates.KeyInfo key = Certificates.key(certificate.getSubjectPublicKeyInfo());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("subject", Certificates.name(certificate.getSubject()));
    data.put("issuer", Certificates.name(certificate.getIssuer()));
    data.put("serial", Certificates.serial(certificate.getSerialNumber()));
    data.put("notBefore", Certificates.notBefore(certificate).toString());
    data.put("notAfter", Certificates.notAfter(certificate).toString());
    data.put("daysLeft", Certificates.daysLeft(Certificates.notAfter(certificate), now));
    data.put("expired", Certificates.expired(certificate, now));
    data.put("notYetValid", Certificates.notYetValid(certificate, now));
    data.put("sans", Certificates.sans(certificate));
    data.put("keyType", key.type());
    data.put("keySize", key.bits());
    data.put("isCa", Certificates.isCa(certificate));
    data.put("selfSigned", Certificates.selfSigned(certificate));
    data.put("sha256", Certificates.sha256(certificate));
    data.put("source", source);
    return data;
  }
}
