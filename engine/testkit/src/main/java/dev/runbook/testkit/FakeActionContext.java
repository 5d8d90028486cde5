package dev.runbook.testkit;

import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.OutputSink;
import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A FAKE of what the engine lends an action for one step, for a plugin's own unit tests: the
 * transport the test gives (a real one wherever it can run: {@code LocalTransport}, an SSH
 * transport to the lab), a clock, a timeout and a scratch directory, and everything the action
 * hands back kept for assertions: its output lines and the values it asked to mask. Thread-safe:
 * stdout and stderr are pumped by different threads.
 *
 * <p>What the engine does around an action (redaction of masked values, the step's timeout
 * watchdog, the trail) is not here: test that through {@link EngineTestKit}.
 */
public final class FakeActionContext implements ActionContext {

  private final Transport transport;
  private final Clock clock;
  private final Duration timeout;
  private final Path scratch;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<String> masked = new CopyOnWriteArrayList<>();

  private FakeActionContext(Builder builder) {
    this.transport = builder.transport;
    this.clock = builder.clock;
    this.timeout = builder.timeout;
    this.scratch = builder.scratch;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How a fake context is made; every part is optional. */
  public static final class Builder {
    private Transport transport;
    private Clock clock = Clock.systemUTC();
    private Duration timeout;
    private Path scratch;

    private Builder() {}

    /** The transport the action gets; without one, asking for it fails the test. */
    public Builder transport(Transport value) {
      this.transport = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /** A clock that stands still at {@code now}. */
    public Builder at(Instant now) {
      return clock(Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The step's time limit; without one, the step has none. */
    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    /** The step attempt's private directory; without one, asking for it fails the test. */
    public Builder scratchDirectory(Path dir) {
      this.scratch = dir;
      return this;
    }

    public FakeActionContext build() {
      return new FakeActionContext(this);
    }
  }

  /**
   * A request from step {@code test} on the engine's own machine, with the inputs in the order
   * given: {@code request("path", "/etc/x.crt", "warnDays", 30L)}.
   */
  public static ActionRequest request(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("give inputs as name, value pairs");
    }
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      inputs.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return new ActionRequest("test", inputs, Target.LOCAL, false);
  }

  @Override
  public Transport transport() {
    if (transport == null) {
      throw new IllegalStateException(
          "the action asked for a transport; give the FakeActionContext one");
    }
    return transport;
  }

  @Override
  public OutputSink output() {
    return new OutputSink() {
      @Override
      public void stdout(String line) {
        stdout.add(line);
        lines.add("out:" + line);
      }

      @Override
      public void stderr(String line) {
        stderr.add(line);
        lines.add("err:" + line);
      }
    };
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Path scratchDirectory() {
    if (scratch == null) {
      throw new IllegalStateException(
          "the action asked for a scratch directory; give the FakeActionContext one");
    }
    return scratch;
  }

  @Override
  public void maskSecret(String value) {
    masked.add(value);
  }

  /** The stdout lines the action streamed, in order. */
  public List<String> stdout() {
    return List.copyOf(stdout);
  }

  /** The stderr lines the action streamed, in order. */
  public List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** Every line the action streamed, in arrival order, as {@code out:LINE} or {@code err:LINE}. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The values the action asked the engine to mask, in order. */
  public List<String> masked() {
    return List.copyOf(masked);
  }
}
