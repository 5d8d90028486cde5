package dev.runbook.plugins.kubectl;

import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.OutputSink;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import dev.runbook.plugins.shell.LocalTransport;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real local transport with variables added to every command, as a step's environment would:
 * tests point kubectl's discovery cache into their own directory, or put an {@code oc} first on the
 * {@code PATH}.
 */
final class WithEnvironment implements Transport {

  private final Transport local = new LocalTransport();
  private final Map<String, String> environment;

  WithEnvironment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String describe() {
    return local.describe();
  }

  @Override
  public CommandResult run(CommandSpec command, OutputSink sink, Duration timeout)
      throws TransportException, InterruptedException {
    Map<String, String> env = new HashMap<>(environment);
    env.putAll(command.environment());
    return local.run(command.withEnvironment(env), sink, timeout);
  }

  @Override
  public byte[] readFile(String path) throws TransportException, InterruptedException {
    return local.readFile(path);
  }

  @Override
  public void writeFile(String path, byte[] content, int mode)
      throws TransportException, InterruptedException {
    local.writeFile(path, content, mode);
  }

  @Override
  public void close() {
    local.close();
  }
}
