package dev.runbook.plugins.alarm;

import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.Alarm;
import dev.runbook.api.OutputSink;
import dev.runbook.api.StepResult;
import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One alarm.cleared step as the engine runs it: inputs, the alarm that started the run (or none),
 * the system clock (the action's deadline is real time), and the output lines kept.
 */
final class Step implements ActionContext {

  final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final Alarm alarm;

  private Step(Alarm alarm) {
    this.alarm = alarm;
  }

  static Step withoutAlarm() {
    return new Step(null);
  }

  static Step of(Alarm alarm) {
    return new Step(alarm);
  }

  StepResult run(Object... namesAndValues) throws InterruptedException {
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      inputs.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return new AlarmPlugin()
        .actions()
        .get(0)
        .execute(new ActionRequest("cleared", inputs, Target.LOCAL, false), this);
  }

  /** The alarm of a run the server started: its labels, the API to ask, resolved or not. */
  record TestAlarm(Map<String, String> labels, URI apiUrl, AtomicBoolean isResolved)
      implements Alarm {
    TestAlarm(Map<String, String> labels, URI apiUrl) {
      this(labels, apiUrl, new AtomicBoolean());
    }

    @Override
    public String source() {
      return apiUrl == null ? "alarms" : "alertmanager";
    }

    @Override
    public String id() {
      return "test@1";
    }

    @Override
    public String name() {
      return labels.getOrDefault("alertname", "Test");
    }

    @Override
    public Optional<URI> api() {
      return Optional.ofNullable(apiUrl);
    }

    @Override
    public boolean resolved() {
      return isResolved.get();
    }
  }

  @Override
  public Optional<Alarm> alarm() {
    return Optional.ofNullable(alarm);
  }

  @Override
  public Transport transport() {
    throw new AssertionError("alarm.cleared needs no transport");
  }

  @Override
  public OutputSink output() {
    return new OutputSink() {
      @Override
      public void stdout(String line) {
        lines.add(line);
      }

      @Override
      public void stderr(String line) {
        lines.add("err:" + line);
      }
    };
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.of(Duration.ofMinutes(1));
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public Path scratchDirectory() {
    throw new AssertionError("alarm.cleared keeps no files");
  }

  @Override
  public void maskSecret(String value) {}
}
