package dev.runbook.plugins.kubectl;

import dev.runbook.api.FailureKind;
import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import dev.runbook.api.TransportProvider;
import java.util.Map;

/**
 * The transport of {@code kubectl} targets: where kubectl runs. Without {@code via} that is the
 * engine's own machine ({@link ProcessTransport}). With {@code via: bastion} it is the bastion's
 * transport, which only the engine can open (it knows the bastion target); until the engine does
 * that, such a target fails here with a {@link FailureKind#CONFIG} message that says so.
 */
final class KubectlTransportProvider implements TransportProvider {

  private final Map<String, String> environment;

  /**
   * @param environment variables added to every kubectl command started here (tests point kubectl's
   *     discovery cache into a temporary directory with {@code KUBECACHEDIR})
   */
  KubectlTransportProvider(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String kind() {
    return "kubectl";
  }

  @Override
  public Transport open(Target target) throws TransportException {
    String via = KubectlTarget.via(target);
    if (via != null) {
      throw new TransportException(
          FailureKind.CONFIG,
          "target '"
              + target.name()
              + "' runs kubectl via '"
              + via
              + "', but this engine does not yet hand the kubectl plugin the transport of '"
              + via
              + "'; remove 'via' to run kubectl here");
    }
    return new ProcessTransport(environment);
  }
}
