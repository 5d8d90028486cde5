package dev.runbook.engine.execute;

import dev.runbook.api.FailureKind;
import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import dev.runbook.api.TransportProvider;
import dev.runbook.engine.plugin.PluginRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One open transport per target for the whole run, so an SSH session is reused across steps. Opened
 * on first use; all closed when the run ends.
 */
final class TransportPool implements AutoCloseable {

  private final PluginRegistry plugins;
  private final Map<Target, Transport> open = new LinkedHashMap<>();

  TransportPool(PluginRegistry plugins) {
    this.plugins = plugins;
  }

  Transport get(Target target) throws TransportException, InterruptedException {
    TransportProvider provider;
    synchronized (this) {
      Transport existing = open.get(target);
      if (existing != null) {
        return existing;
      }
      provider =
          plugins
              .transport(target.kind())
              .orElseThrow(
                  () ->
                      new TransportException(
                          FailureKind.CONFIG,
                          "no installed plugin runs steps on '"
                              + target.kind()
                              + "' targets (target "
                              + target.name()
                              + "); installed transports: "
                              + String.join(", ", plugins.transportKinds())));
    }
    // Opening may take a while (SSH); do it outside the lock, then keep the first one opened.
    Transport opened = provider.open(target);
    synchronized (this) {
      Transport raced = open.putIfAbsent(target, opened);
      if (raced != null) {
        opened.close();
        return raced;
      }
      return opened;
    }
  }

  @Override
  public synchronized void close() {
    for (Transport transport : open.values()) {
      try {
        transport.close();
      } catch (RuntimeException e) {
        // closing is best effort: the run's outcome is already decided
      }
    }
    open.clear();
  }
}
