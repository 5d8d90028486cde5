package dev.runbook.plugins.ssh;

import dev.runbook.api.Plugin;
import dev.runbook.api.TransportProvider;
import java.util.List;

/**
 * The {@code ssh} transport: the {@code shell} action (and others) run on SSH targets through it.
 */
public final class SshPlugin implements Plugin {

  @Override
  public String id() {
    return "ssh";
  }

  @Override
  public List<TransportProvider> transports() {
    return List.of(new SshTransportProvider(SshSettings::fromEnvironment));
  }
}
