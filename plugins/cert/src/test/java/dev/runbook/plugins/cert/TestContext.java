package dev.runbook.plugins.cert;

import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.OutputSink;
import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import dev.runbook.plugins.shell.LocalTransport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine lends an action, for tests: a real local transport (scripts really run), a fixed
 * clock, and the output lines kept for assertions.
 */
final class TestContext implements ActionContext {

  private final Transport transport = new LocalTransport();
  private final Clock clock;
  private final Path scratch;
  private final Duration timeout;
  final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  TestContext(Instant now, Path scratch) {
    this(now, scratch, Duration.ofSeconds(30));
  }

  TestContext(Instant now, Path scratch, Duration timeout) {
    this.clock = Clock.fixed(now, ZoneOffset.UTC);
    this.scratch = scratch;
    this.timeout = timeout;
  }

  /** A request from step {@code test} on the local target, inputs in the order given. */
  static ActionRequest request(Object... namesAndValues) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      inputs.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return new ActionRequest("test", inputs, Target.LOCAL, false);
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public OutputSink output() {
    return new OutputSink() {
      @Override
      public void stdout(String line) {
        lines.add("out:" + line);
      }

      @Override
      public void stderr(String line) {
        lines.add("err:" + line);
      }
    };
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.of(timeout);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Path scratchDirectory() {
    return scratch;
  }

  @Override
  public void maskSecret(String value) {
    throw new UnsupportedOperationException("the cert actions learn no secrets");
  }
}
