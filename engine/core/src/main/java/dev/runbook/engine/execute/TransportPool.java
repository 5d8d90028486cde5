package dev.runbook.engine.execute;

import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.FailureKind;
import dev.runbook.api.OutputSink;
import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import dev.runbook.api.TransportProvider;
import dev.runbook.engine.plugin.PluginRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One open transport per target for the whole run, so an SSH session is reused across steps. Opened
 * on first use; all closed when the run ends. Every command run through them holds the run's lock
 * files while its processes live ({@link CommandSpec#holdFiles()}).
 */
final class TransportPool implements AutoCloseable {

  private final PluginRegistry plugins;
  private final List<String> holdFiles;
  private final Map<Target, Transport> open = new LinkedHashMap<>();

  TransportPool(PluginRegistry plugins, List<String> holdFiles) {
    this.plugins = plugins;
    this.holdFiles = List.copyOf(holdFiles);
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
    Transport opened = holding(provider.open(target));
    synchronized (this) {
      Transport raced = open.putIfAbsent(target, opened);
      if (raced != null) {
        opened.close();
        return raced;
      }
      return opened;
    }
  }

  /** The transport, its commands holding the run's lock files. */
  private Transport holding(Transport transport) {
    if (holdFiles.isEmpty()) {
      return transport;
    }
    return new Transport() {
      @Override
      public String describe() {
        return transport.describe();
      }

      @Override
      public CommandResult run(CommandSpec command, OutputSink sink, Duration timeout)
          throws TransportException, InterruptedException {
        return transport.run(command.holding(holdFiles), sink, timeout);
      }

      @Override
      public byte[] readFile(String path) throws TransportException, InterruptedException {
        return transport.readFile(path);
      }

      @Override
      public void writeFile(String path, byte[] content, int mode)
          throws TransportException, InterruptedException {
        transport.writeFile(path, content, mode);
      }

      @Override
      public void close() {
        transport.close();
      }
    };
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
