package dev.runbook.engine.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run in a line, for {@code audit list}: what ran, by whom, with which parameters, and how it
 * ended ({@code resolved}, {@code escalated}, {@code failed}, {@code paused}, or {@code stopped}
 * for a run that neither finished nor paused: still running, or killed).
 */
public record RunSummary(
    String runId,
    String runbook,
    String title,
    List<String> alarms,
    String operator,
    String machine,
    Map<String, String> params,
    Instant started,
    Instant ended,
    String status,
    String message) {

  public static RunSummary of(RunDirectory run) throws IOException {
    AuditTrail trail = AuditTrail.read(run);
    AuditEvent.RunStarted start = null;
    String status = "stopped";
    String message = null;
    Instant started = null;
    Instant ended = null;
    for (AuditTrail.Line line : trail.lines()) {
      AuditEvent event = line.event();
      if (event instanceof AuditEvent.RunStarted s) {
        start = s;
        started = line.time().orElse(null);
      } else if (event instanceof AuditEvent.RunFinished f) {
        status = f.outcome();
        message = f.message();
        ended = line.time().orElse(null);
      } else if (event instanceof AuditEvent.Paused p) {
        status = "paused";
        message = p.reason() + " at " + p.step();
        ended = line.time().orElse(null);
      } else if (event instanceof AuditEvent.Resumed) {
        status = "stopped";
        message = null;
        ended = null;
      }
    }
    if (start == null) {
      return new RunSummary(
          run.runId(),
          "?",
          null,
          List.of(),
          null,
          null,
          Map.of(),
          null,
          null,
          "unreadable",
          "no run.started event");
    }
    return new RunSummary(
        run.runId(),
        start.runbook(),
        start.title(),
        start.alarms(),
        start.operator(),
        start.machine(),
        start.params(),
        started,
        ended,
        status,
        message);
  }

  /** Every run under the state directory, oldest first (run ids sort by start time). */
  public static List<RunDirectory> runs(Path stateDir) throws IOException {
    Path root = RunDirectory.runsRoot(stateDir);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<RunDirectory> runs = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(Files::isDirectory)
          .sorted()
          .forEach(d -> runs.add(new RunDirectory(d.getFileName().toString(), d)));
    }
    return runs;
  }
}
