package dev.runbook.plugins.cert;

import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionRequest;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Where a certificate comes from: a file on the step's target named by a shell word ({@code path},
 * {@code ca_path}) or the text of an input ({@code pem}, {@code ca_pem}). Exactly one of the pair
 * is given; {@code checkInputs} of each action enforces it before a run.
 *
 * @param pathInput the name of the file input, such as {@code ca_path}
 * @param pemInput the name of the text input, such as {@code ca_pem}
 */
record CertificateSource(String pathInput, String pemInput) {

  static final CertificateSource LEAF = new CertificateSource("path", "pem");
  static final CertificateSource CA = new CertificateSource("ca_path", "ca_pem");

  /** A certificate and where it was read: the file the pattern matched, or the input's name. */
  record Loaded(X509CertificateHolder certificate, String source) {}

  /** Whether the step gives the file form (else the text form). */
  boolean fromFile(ActionRequest request) {
    return request.inputs().containsKey(pathInput);
  }

  /** The first certificate of the file or text. */
  Loaded load(ActionRequest request, ActionContext context)
      throws CertFailure, InterruptedException {
    if (fromFile(request)) {
      TargetFiles.Read read = TargetFiles.read(context, pathInput, request.shell(pathInput));
      String from = pathInput + " " + read.source() + " on " + read.target();
      return new Loaded(CertificateReader.parse(read.content(), from), read.source());
    }
    byte[] text = request.text(pemInput).getBytes(StandardCharsets.UTF_8);
    return new Loaded(CertificateReader.parse(text, pemInput), pemInput);
  }

  /** What a preview says would be read, without reading it. */
  String describe(ActionRequest request) {
    return fromFile(request)
        ? "the first certificate in " + request.shell(pathInput).readable()
        : "the certificate given in '" + pemInput + "'";
  }
}
