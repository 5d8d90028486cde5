package dev.runbook.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as a report shows it, read from its trail: the start, each step with everything recorded
 * about it, the pauses and resumptions, the end, and the verification verdict. Values are as
 * recorded (secrets already masked); renderers escape them.
 */
public final class RunRecord {

  /** Something that happened at a time: a step, a pause, a resumption, the end. */
  public sealed interface Entry permits StepEntry, Moment {}

  /** A pause, resumption or the run's end. */
  public record Moment(Instant time, String kind, String text) implements Entry {}

  /**
   * An answer a person gave.
   *
   * @param note the note given with it, when the engine that wrote the line records one
   */
  public record Answer(Instant time, AuditEvent.Answered answered, String note) {}

  /** One visit of a step (each attempt of a retried action is its own entry). */
  public static final class StepEntry implements Entry {
    public final String path;
    public AuditEvent.StepStarted started;
    public Instant startedAt;
    public AuditEvent.StepFinished finished;
    public Instant finishedAt;
    public final List<AuditEvent.CommandRendered> commands = new ArrayList<>();
    public final List<AuditEvent.Decision> decisions = new ArrayList<>();
    public final List<Answer> answers = new ArrayList<>();
    public AuditEvent.WaitProgress lastWait;
    public int waits;

    StepEntry(String path) {
      this.path = path;
    }

    /** The step's id (last segment of its path, without the visit number). */
    public String stepId() {
      if (started != null && started.stepId() != null) {
        return started.stepId();
      }
      String last = path.substring(path.lastIndexOf('/') + 1);
      int at = last.indexOf('@');
      return at < 0 ? last : last.substring(0, at);
    }
  }

  public final RunDirectory dir;
  public final AuditEvent.RunStarted start;
  public final JsonNode startJson;
  public final Instant startedAt;
  public final AuditEvent.RunFinished finish;
  public final Instant finishedAt;
  public final AuditVerifier.Report verification;
  public final String status;
  public final List<Entry> entries;
  public final boolean partialLine;
  public final int unreadableLines;

  private RunRecord(
      RunDirectory dir,
      AuditEvent.RunStarted start,
      JsonNode startJson,
      Instant startedAt,
      AuditEvent.RunFinished finish,
      Instant finishedAt,
      AuditVerifier.Report verification,
      String status,
      List<Entry> entries,
      boolean partialLine,
      int unreadableLines) {
    this.dir = dir;
    this.start = start;
    this.startJson = startJson;
    this.startedAt = startedAt;
    this.finish = finish;
    this.finishedAt = finishedAt;
    this.verification = verification;
    this.status = status;
    this.entries = List.copyOf(entries);
    this.partialLine = partialLine;
    this.unreadableLines = unreadableLines;
  }

  public static RunRecord of(AuditTrail trail, AuditVerifier.Report verification, String status) {
    AuditEvent.RunStarted start = null;
    JsonNode startJson = null;
    Instant startedAt = null;
    AuditEvent.RunFinished finish = null;
    Instant finishedAt = null;
    List<Entry> entries = new ArrayList<>();
    Map<String, StepEntry> open = new LinkedHashMap<>();
    int unreadable = 0;
    for (AuditTrail.Line line : trail.lines()) {
      AuditEvent event = line.event();
      Instant time = line.time().orElse(null);
      if (event == null) {
        unreadable++;
        continue;
      }
      if (event instanceof AuditEvent.RunStarted s) {
        start = s;
        startJson = line.json();
        startedAt = time;
      } else if (event instanceof AuditEvent.StepStarted s) {
        StepEntry step = new StepEntry(s.step());
        step.started = s;
        step.startedAt = time;
        open.put(s.step(), step);
        entries.add(step);
      } else if (event instanceof AuditEvent.CommandRendered c) {
        step(open, entries, c.step()).commands.add(c);
      } else if (event instanceof AuditEvent.Decision d) {
        step(open, entries, d.step()).decisions.add(d);
      } else if (event instanceof AuditEvent.Answered a) {
        JsonNode note = line.json() == null ? null : line.json().get("note");
        step(open, entries, a.step())
            .answers
            .add(new Answer(time, a, note == null || note.isNull() ? null : note.asText()));
      } else if (event instanceof AuditEvent.WaitProgress w) {
        StepEntry step = step(open, entries, w.step());
        step.lastWait = w;
        step.waits++;
      } else if (event instanceof AuditEvent.StepFinished f) {
        StepEntry step = step(open, entries, f.step());
        step.finished = f;
        step.finishedAt = time;
        open.remove(f.step());
      } else if (event instanceof AuditEvent.Paused p) {
        entries.add(
            new Moment(
                time,
                "paused",
                "paused at " + p.step() + ": " + p.reason() + " — " + p.question()));
      } else if (event instanceof AuditEvent.Resumed r) {
        entries.add(
            new Moment(
                time,
                "resumed",
                "resumed by "
                    + r.operator()
                    + " on "
                    + r.machine()
                    + (r.inDoubt() == null || r.inDoubt().isEmpty()
                        ? ""
                        : "; cut off before: " + String.join(", ", r.inDoubt()))
                    + (r.note() == null ? "" : "; " + r.note())));
      } else if (event instanceof AuditEvent.RunFinished f) {
        finish = f;
        finishedAt = time;
      }
    }
    return new RunRecord(
        trail.run(),
        start,
        startJson,
        startedAt,
        finish,
        finishedAt,
        verification,
        status,
        entries,
        trail.hasPartialLine(),
        unreadable);
  }

  private static StepEntry step(Map<String, StepEntry> open, List<Entry> entries, String path) {
    StepEntry step = open.get(path);
    if (step == null) {
      step = new StepEntry(path == null ? "?" : path);
      open.put(step.path, step);
      entries.add(step);
    }
    return step;
  }

  /** The state of a step the run is waiting at for a person's answer. */
  public static final String WAITING = "waiting";

  /**
   * What a step's badge says: its recorded status; {@code end} for an end step; {@value #WAITING}
   * for the step a paused run waits at; {@code unfinished} for one a crash cut off.
   */
  public String stateOf(StepEntry step) {
    if (step.finished != null) {
      return step.finished.status().label();
    }
    if (step.started != null && "end".equals(step.started.kind())) {
      return "end";
    }
    boolean paused =
        finish == null
            && !entries.isEmpty()
            && entries.get(entries.size() - 1) instanceof Moment m
            && m.kind().equals("paused");
    return paused ? WAITING : "unfinished";
  }

  /** The steps in the order they started. */
  public List<StepEntry> steps() {
    return entries.stream().filter(e -> e instanceof StepEntry).map(e -> (StepEntry) e).toList();
  }

  /** How long the run took, from its first line to its last recorded end, or null. */
  public Duration duration() {
    if (finish != null) {
      return Duration.ofMillis(finish.durationMs());
    }
    return null;
  }

  /** A recorded text field of {@code run.started} that this engine version may not know. */
  public String startField(String name) {
    if (startJson == null || !startJson.hasNonNull(name)) {
      return null;
    }
    JsonNode value = startJson.get(name);
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
