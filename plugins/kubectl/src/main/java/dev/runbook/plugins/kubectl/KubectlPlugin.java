package dev.runbook.plugins.kubectl;

import dev.runbook.api.Action;
import dev.runbook.api.Plugin;
import dev.runbook.api.TransportProvider;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubectl} action (kubectl or oc as argv, JSON output parsed for conditions) and the
 * {@code kubectl} transport that runs it on the engine's machine for {@code kubectl:} targets.
 */
public final class KubectlPlugin implements Plugin {

  @Override
  public String id() {
    return "kubectl";
  }

  @Override
  public List<Action> actions() {
    return List.of(new KubectlAction());
  }

  @Override
  public List<TransportProvider> transports() {
    return List.of(new KubectlTransportProvider(Map.of()));
  }
}
