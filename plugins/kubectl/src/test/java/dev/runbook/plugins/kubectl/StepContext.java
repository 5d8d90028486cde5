package dev.runbook.plugins.kubectl;

import dev.runbook.api.ActionContext;
import dev.runbook.api.OutputSink;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the engine lends an action, for tests: a real transport, the output lines kept, a step
 * timeout.
 */
final class StepContext implements ActionContext {

  private final Transport transport;
  private final Duration timeout;
  final List<String> stdout = new CopyOnWriteArrayList<>();
  final List<String> stderr = new CopyOnWriteArrayList<>();

  StepContext(Transport transport, Duration timeout) {
    this.transport = transport;
    this.timeout = timeout;
  }

  @Override
  public Transport transport() throws TransportException {
    return transport;
  }

  @Override
  public OutputSink output() {
    return new OutputSink() {
      @Override
      public void stdout(String line) {
        stdout.add(line);
      }

      @Override
      public void stderr(String line) {
        stderr.add(line);
      }
    };
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.of(timeout);
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public Path scratchDirectory() {
    throw new UnsupportedOperationException("the kubectl action keeps no scratch files");
  }

  /** The values the action asked to mask, in order. */
  final List<String> masked = new CopyOnWriteArrayList<>();

  @Override
  public void maskSecret(String value) {
    masked.add(value);
  }
}
