package dev.runbook.plugins.shell;

import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportProvider;

/** The engine's own machine. */
final class LocalTransportProvider implements TransportProvider {

  @Override
  public String kind() {
    return "local";
  }

  @Override
  public Transport open(Target target) {
    return new LocalTransport();
  }
}
