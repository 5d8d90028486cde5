package dev.runbook.plugins.cert;

import dev.runbook.api.Action;
import dev.runbook.api.Plugin;
import java.util.List;

/**
 * X.509 certificates: {@code cert.inspect} (read one and report its dates, names and key), {@code
 * cert.verify} (is a leaf signed by a CA, and which of the two has expired) and {@code cert.issue}
 * (a new EC P-256 key with a self-signed CA or a leaf signed by an existing CA).
 *
 * <p>Files are read and written on the step's target through its transport; only {@code
 * cert.inspect}'s {@code endpoint} connects from the engine's own machine. Constructing the plugin
 * loads no cryptography: Bouncy Castle is touched when an action first runs.
 */
public final class CertPlugin implements Plugin {

  @Override
  public String id() {
    return "cert";
  }

  @Override
  public List<Action> actions() {
    return List.of(new InspectAction(), new VerifyAction(), new IssueAction());
  }
}
