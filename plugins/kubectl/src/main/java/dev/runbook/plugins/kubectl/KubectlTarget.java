package dev.runbook.plugins.kubectl;

import dev.runbook.api.Target;

/**
 * Reads a {@code kubectl} target's settings. The runbook writes {@code {kubectl: {context,
 * namespace, kubeconfig, binary}, via: TARGET}}; the engine hands them over as the {@link Target}'s
 * properties of the same names. Every setting is optional: without them kubectl uses its own
 * defaults ({@code $KUBECONFIG}, the current context and its namespace).
 */
final class KubectlTarget {

  static final String DEFAULT_BINARY = "kubectl";

  private KubectlTarget() {}

  /** The program to run: the target's {@code binary} ({@code kubectl}, {@code oc}, or a path). */
  static String binary(Target target) {
    String binary = target.properties().get("binary");
    return binary == null || binary.isBlank() ? DEFAULT_BINARY : binary;
  }

  /** The name of the target kubectl is run through, or null when it runs where the engine runs. */
  static String via(Target target) {
    String via = target.properties().get("via");
    return via == null || via.isBlank() ? null : via;
  }

  /** What to do when the binary cannot be started on {@code where}. */
  static String installHint(String binary, String where) {
    boolean oc = binary.equals("oc") || binary.endsWith("/oc");
    return "install "
        + (oc ? "oc (the OpenShift CLI)" : "kubectl (the Kubernetes CLI)")
        + " on "
        + where
        + ", or set 'binary' in the target's kubectl: mapping to where it is";
  }
}
