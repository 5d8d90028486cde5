package dev.runbook.engine.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One run in a line, for {@code audit list}: what ran, by whom, with which parameters, and how it
 * ended ({@code resolved}, {@code escalated}, {@code failed}, {@code paused}), or {@code running}
 * while a process runs it ({@link RunActivity}), or {@code stopped} for a run that neither finished
 * nor paused and that no process runs: it crashed or was killed.
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

  /** How much of a trail's end {@link #quick} reads to find how the run ended. */
  private static final int TAIL_BYTES = 8 * 1024;

  /**
   * The summary from the trail's first line and its last status event, reading only the head and a
   * tail window of the file: {@code audit list} over thousands of runs must not parse every event.
   * Falls back to {@link #of} when the window holds no status event.
   */
  public static RunSummary quick(RunDirectory run) throws IOException {
    try (SeekableByteChannel file = TrailFiles.open(run.events())) {
      long size = file.size();
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, TAIL_BYTES));
      file.position(0);
      readFully(file, head);
      String headText = new String(head.array(), 0, head.position(), StandardCharsets.UTF_8);
      int firstEnd = headText.indexOf('\n');
      long tailStart = Math.max(0, size - TAIL_BYTES);
      ByteBuffer tail = ByteBuffer.allocate((int) (size - tailStart));
      file.position(tailStart);
      readFully(file, tail);
      String tailText = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8);
      if (firstEnd < 0) {
        return of(run);
      }
      AuditTrail.Line first =
          AuditTrail.parseLine(1, headText.substring(0, firstEnd).getBytes(StandardCharsets.UTF_8));
      if (!(first.event() instanceof AuditEvent.RunStarted start)) {
        return of(run);
      }
      String[] lines = tailText.split("\n");
      // The first line of the window may be cut; only whole lines after it are read, newest first.
      for (int i = lines.length - 1; i >= (tailStart == 0 ? 0 : 1); i--) {
        if (lines[i].isEmpty() || !(lines[i].contains("\"type\":\"run."))) {
          continue;
        }
        AuditTrail.Line line = AuditTrail.parseLine(0, lines[i].getBytes(StandardCharsets.UTF_8));
        AuditEvent event = line.event();
        Instant at = line.time().orElse(null);
        if (event instanceof AuditEvent.RunFinished f) {
          return summary(run, start, first, f.outcome().label(), f.message(), at);
        }
        if (event instanceof AuditEvent.Paused p) {
          return summary(run, start, first, "paused", p.reason() + " at " + p.step(), at);
        }
        if (event instanceof AuditEvent.Resumed) {
          return summary(run, start, first, notEnded(run), null, null);
        }
      }
      return tailStart == 0 ? summary(run, start, first, notEnded(run), null, null) : of(run);
    } catch (NoSuchFileException | TrailFiles.NotRegularFile e) {
      return of(run);
    }
  }

  private static void readFully(SeekableByteChannel file, ByteBuffer to) throws IOException {
    while (to.hasRemaining() && file.read(to) >= 0) {
      // until full, or the end of a file that shrank meanwhile
    }
  }

  /** {@code running} when a process holds the run's lock, else {@code stopped}. */
  private static String notEnded(RunDirectory run) {
    return RunActivity.isRunning(run) ? "running" : "stopped";
  }

  private static RunSummary summary(
      RunDirectory run,
      AuditEvent.RunStarted s,
      AuditTrail.Line first,
      String status,
      String message,
      Instant ended) {
    return new RunSummary(
        run.runId(),
        s.runbook(),
        s.title(),
        s.alarms(),
        s.operator(),
        s.machine(),
        s.params(),
        first.time().orElse(null),
        ended,
        status,
        message);
  }

  public static RunSummary of(RunDirectory run) throws IOException {
    AuditTrail trail;
    try {
      trail = AuditTrail.read(run);
    } catch (TrailFiles.NotRegularFile e) {
      return unreadable(run, e.getMessage());
    }
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
        status = f.outcome().label();
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
      return unreadable(run, "no run.started event");
    }
    if (status.equals("stopped")) {
      status = notEnded(run);
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

  private static RunSummary unreadable(RunDirectory run, String why) {
    return new RunSummary(
        run.runId(), "?", null, List.of(), null, null, Map.of(), null, null, "unreadable", why);
  }

  /**
   * The summary of every run, oldest first: from the {@link RunIndex} entry of each run whose entry
   * is current and intact, else from its trail ({@link #quick}).
   */
  public static List<RunSummary> all(Path stateDir) throws IOException {
    Path root = RunDirectory.runsRoot(stateDir);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    Map<String, RunIndex.Entry> index = RunIndex.read(stateDir);
    List<Path> entries;
    try (Stream<Path> names = Files.list(root)) {
      entries = names.sorted().toList();
    }
    try {
      // Each run still costs a stat: on every core, kept in order.
      return entries.parallelStream()
          .map(path -> summary(path, index))
          .filter(Objects::nonNull)
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The run at {@code path} as {@link #all} lists it, or null when it is no run directory. */
  private static RunSummary summary(Path path, Map<String, RunIndex.Entry> index) {
    RunDirectory run = new RunDirectory(path.getFileName().toString(), path);
    try {
      RunIndex.Entry entry = index.get(run.runId());
      // A current entry's stat of events.jsonl inside it also shows that it is a directory.
      if (entry != null && entry.isCurrent(run)) {
        return entry.summary();
      }
      return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? quick(run) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every run under the state directory, oldest first (run ids sort by start time). */
  public static List<RunDirectory> runs(Path stateDir) throws IOException {
    Path root = RunDirectory.runsRoot(stateDir);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<RunDirectory> runs = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(d -> Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .forEach(d -> runs.add(new RunDirectory(d.getFileName().toString(), d)));
    }
    return runs;
  }
}
