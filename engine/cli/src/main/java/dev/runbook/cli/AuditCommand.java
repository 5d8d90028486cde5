package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "audit",
    description = "Review what runs did, and prove their trails were not altered.",
    subcommands = {AuditCommand.ListRuns.class, AuditCommand.Show.class, AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

  @ParentCommand RunbookCommand root;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static RunDirectory find(Path stateDir, String runId) {
    try {
      return RunDirectory.find(stateDir, runId);
    } catch (NoSuchFileException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    } catch (IOException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
  }

  @Command(
      name = "list",
      description = "List runs, newest last, with who ran what and how it ended.")
  static final class ListRuns extends BaseCommand {

    @Option(names = "--runbook", paramLabel = "ID", description = "Only runs of this runbook.")
    String runbook;

    @Option(
        names = "--alarm",
        paramLabel = "ALARM",
        description = "Only runs of runbooks for this alarm id.")
    String alarm;

    @Option(
        names = "--outcome",
        paramLabel = "OUTCOME",
        description = "resolved, escalated, failed, paused or stopped.")
    String outcome;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        description = "Only runs with a parameter equal to this host.")
    String host;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        description =
            "Only runs started at or after: an ISO time (2026-11-22T03:00:00Z) or an age (24h).")
    String since;

    @Option(
        names = "--until",
        paramLabel = "TIME",
        description = "Only runs started before: an ISO time or an age.")
    String until;

    @Option(
        names = "--output",
        paramLabel = "text|json",
        description = "Output format (default: text).")
    Format format = Format.TEXT;

    @Override
    public Integer call() throws IOException {
      Instant from = since == null ? null : time(since);
      Instant to = until == null ? null : time(until);
      List<RunSummary> rows = new ArrayList<>();
      for (RunSummary s : RunSummary.all(root().stateDirectory())) {
        if ((runbook == null || runbook.equalsIgnoreCase(s.runbook()))
            && (alarm == null || s.alarms().stream().anyMatch(alarm::equalsIgnoreCase))
            && (outcome == null || outcome.equalsIgnoreCase(s.status()))
            && (host == null || s.params().containsValue(host))
            && (from == null || (s.started() != null && !s.started().isBefore(from)))
            && (to == null || (s.started() != null && s.started().isBefore(to)))) {
          rows.add(s);
        }
      }
      if (format == Format.JSON) {
        printJson(rows);
        return ExitCodes.OK;
      }
      Table table = new Table("RUN", "RUNBOOK", "STATUS", "STARTED", "BY", "PARAMS");
      for (RunSummary s : rows) {
        List<String> params = new ArrayList<>();
        s.params().forEach((k, v) -> params.add(k + "=" + v));
        table.row(
            s.runId(),
            s.runbook(),
            s.status(),
            s.started() == null ? "" : s.started().toString(),
            s.operator() == null ? "" : s.operator() + "@" + s.machine(),
            String.join(" ", params));
      }
      table.print(out());
      if (rows.isEmpty()) {
        err().println("no runs match, in " + root().stateDirectory());
      }
      return ExitCodes.OK;
    }

    private static Instant time(String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException notIso) {
        try {
          Duration age = dev.runbook.engine.model.Durations.parse(text);
          return Instant.now().minus(age);
        } catch (IllegalArgumentException e) {
          throw new UserException(
              ExitCodes.USAGE,
              "'" + text + "' is neither an ISO time (2026-11-22T03:00:00Z) nor an age (24h)");
        }
      }
    }
  }

  @Command(
      name = "show",
      description =
          "Show a run's timeline: what ran where, output, every decision with the values behind it, every answer.")
  static final class Show extends BaseCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id (or a unique prefix).")
    String runId;

    @Option(
        names = "--output",
        paramLabel = "text|json",
        description = "Output format (default: text).")
    Format format = Format.TEXT;

    @Override
    public Integer call() throws IOException {
      RunDirectory dir = find(root().stateDirectory(), runId);
      AuditTrail trail = AuditTrail.read(dir);
      if (format == Format.JSON) {
        List<Object> lines = new ArrayList<>();
        trail.lines().forEach(l -> lines.add(l.json()));
        printJson(lines);
        return ExitCodes.OK;
      }
      new TimelinePrinter(out(), dir).print(trail, RunSummary.of(dir));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify",
      description =
          "Check that trails were not edited, cut, or reordered; names the first line that was. Exit code 8 if any was.")
  static final class Verify extends BaseCommand {

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "Run ids (default: every run).")
    List<String> runIds = new ArrayList<>();

    @Option(
        names = "--output",
        paramLabel = "text|json",
        description = "Output format (default: text).")
    Format format = Format.TEXT;

    @Override
    public Integer call() throws IOException {
      Path stateDir = root().stateDirectory();
      List<RunDirectory> runs = new ArrayList<>();
      if (runIds.isEmpty()) {
        runs.addAll(RunSummary.runs(stateDir));
      } else {
        runIds.forEach(id -> runs.add(find(stateDir, id)));
      }
      int broken = 0;
      List<Map<String, Object>> rows = new ArrayList<>();
      // Runs are independent: verified on every core, reported in order.
      for (AuditVerifier.Report report : AuditVerifier.verifyAll(runs)) {
        if (!report.ok()) {
          broken++;
        }
        if (format == Format.JSON) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("run", report.runId());
          row.put("lines", report.lines());
          row.put("ok", report.ok());
          row.put("problems", report.problems());
          rows.add(row);
        } else if (report.ok()) {
          out().println(report.runId() + "  ok (" + report.lines() + " lines)");
        } else {
          out().println(report.runId() + "  ALTERED: " + report.problems().get(0));
          report.problems().stream().skip(1).forEach(p -> out().println("    also: " + p));
        }
      }
      if (format == Format.JSON) {
        printJson(rows);
      } else {
        out()
            .println(
                runs.size()
                    + " run"
                    + (runs.size() == 1 ? "" : "s")
                    + " checked, "
                    + broken
                    + " altered");
      }
      return broken == 0 ? ExitCodes.OK : ExitCodes.AUDIT_BROKEN;
    }
  }

  static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  static boolean isStep(AuditEvent event) {
    return event instanceof AuditEvent.StepStarted;
  }
}
