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
  private final boolean refusesSecrets;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<String> masked = new CopyOnWriteArrayList<>();

  /**
   * A context lending these parts; a part given as null is one the step does not have (no timeout)
   * or that the test does not expect the action to ask for (a transport, a scratch directory:
   * asking fails the test).
   *
   * @param clock the engine's clock; null for the system clock
   */
  public FakeActionContext(Transport transport, Clock clock, Duration timeout, Path scratch) {
    this(transport, clock, timeout, scratch, false);
  }

  private FakeActionContext(
      Transport transport, Clock clock, Duration timeout, Path scratch, boolean refusesSecrets) {
    this.transport = transport;
    this.clock = clock == null ? Clock.systemUTC() : clock;
    this.timeout = timeout;
    this.scratch = scratch;
    this.refusesSecrets = refusesSecrets;
  }

  /**
   * This context, for an action that must learn no secrets: its asking to mask one fails the test
   * (with an {@link IllegalStateException}, which the action cannot mistake for a failure of its
   * own).
   */
  public FakeActionContext refusingSecrets() {
    return new FakeActionContext(transport, clock, timeout, scratch, true);
  }

  /** A context whose action runs commands through {@code transport}, within {@code timeout}. */
  public static FakeActionContext through(Transport transport, Duration timeout) {
    return new FakeActionContext(transport, null, timeout, null);
  }

  /** A clock that stands still at {@code now}. */
  public static Clock frozenAt(Instant now) {
    return Clock.fixed(now, ZoneOffset.UTC);
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
    return given(transport, "a transport");
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
    return given(scratch, "a scratch directory");
  }

  private static <T> T given(T part, String what) {
    if (part == null) {
      throw new IllegalStateException(
          "the action asked for " + what + "; give the FakeActionContext one");
    }
    return part;
  }

  @Override
  public void maskSecret(String value) {
    if (refusesSecrets) {
      throw new IllegalStateException("this action is not expected to learn secrets");
    }
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
