package dev.runbook.cli;

import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.audit.TrustedKeys;
import dev.runbook.engine.model.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    description = "List runs, newest last, with who ran what and how it ended.",
    footer = {
      "",
      "Reads the state directory (--state-dir), or with --store URL the runs in a",
      "shared store. Each row is verified as 'audit verify' does: ALTERED and exit",
      "8 if one was tampered with. In a store, a run that has not ended shows 'not",
      "ended': a store cannot tell a run going on from one whose server stopped."
    })
final class AuditListCommand extends BaseCommand {

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
      description =
          "Only runs that used this host: a parameter (or an item of a host list) equal to it,"
              + " or a step that ran on it.")
  String host;

  @Option(
      names = "--key",
      paramLabel = "PUB",
      description =
          "Check signatures with this public key file (repeatable; default: RUNBOOK_TRUSTED_KEYS).")
  List<Path> keys = new ArrayList<>();

  @Option(
      names = "--allow-unsigned",
      description = "With keys: show runs without a signature as UNSIGNED but do not fail.")
  boolean allowUnsigned;

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

  @Mixin OutputFormat output;

  @Override
  public Integer call() throws IOException {
    Instant from = since == null ? null : time(since);
    Instant to = until == null ? null : time(until);
    TrustedKeys trusted = AuditCommand.trustedKeys(keys);
    try (AuditSource source = AuditSource.open(this, List.of())) {
      return list(source, from, to, trusted);
    }
  }

  private int list(AuditSource source, Instant from, Instant to, TrustedKeys trusted)
      throws IOException {
    Path stateDir = source.dir();
    List<RunSummary> rows = new ArrayList<>();
    for (RunSummary s : RunSummary.all(stateDir)) {
      if ((runbook == null || runbook.equalsIgnoreCase(s.runbook()))
          && (alarm == null || s.alarms().stream().anyMatch(alarm::equalsIgnoreCase))
          && (outcome == null
              || outcome.equalsIgnoreCase(s.status())
              || (outcome.equalsIgnoreCase("stopped") && "stopped".equals(s.status())))
          && (host == null || HostMatch.usedHost(stateDir, s, host))
          && (from == null || (s.started() != null && !s.started().isBefore(from)))
          && (to == null || (s.started() != null && s.started().isBefore(to)))) {
        rows.add(s);
      }
    }
    // What is shown is verified: every row's trail, the ledger and the index.
    List<RunDirectory> dirs = new ArrayList<>();
    for (RunSummary s : rows) {
      dirs.add(new RunDirectory(s.runId(), RunDirectory.runsRoot(stateDir).resolve(s.runId())));
    }
    boolean everything =
        runbook == null
            && alarm == null
            && outcome == null
            && host == null
            && from == null
            && to == null;
    AuditVerifier.StateReport verified =
        source.verify(dirs, everything, new AuditVerifier.Options(trusted));
    Map<String, AuditVerifier.Report> byRun = new LinkedHashMap<>();
    verified.runs().forEach(r -> byRun.put(r.runId(), r));
    if (output.json()) {
      List<Map<String, Object>> json = new ArrayList<>();
      for (RunSummary s : rows) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("summary", s);
        AuditVerifier.Report report = byRun.get(s.runId());
        row.put("verdict", report.verdict().name());
        row.put("problems", report.findings());
        json.add(row);
      }
      printJson(json);
    } else {
      Table table = new Table("RUN", "RUNBOOK", "STATUS", "STARTED", "BY", "PARAMS");
      for (RunSummary s : rows) {
        List<String> params = new ArrayList<>();
        s.params().forEach((k, v) -> params.add(k + "=" + Visible.text(v)));
        table.row(
            s.runId(),
            Visible.text(s.runbook()),
            source.shownStatus(s.status(), byRun.get(s.runId())),
            s.started() == null ? "" : s.started().toString(),
            s.operator() == null ? "" : Visible.text(s.operator() + "@" + s.machine()),
            String.join(" ", params));
      }
      table.print(out());
      if (source.kind() != AuditSource.Kind.STORE && !Files.isDirectory(stateDir)) {
        err().println("no state directory at " + stateDir + ": no run has been recorded there");
      } else if (rows.isEmpty()) {
        err().println("no runs match, in " + source.name());
      }
      for (AuditVerifier.Report report : verified.runs()) {
        if (!report.ok()) {
          err().println(report.runId() + "  " + report.verdict() + ": " + report.findings().get(0));
        }
      }
      verified.problems().forEach(p -> err().println("ALTERED: " + Visible.text(p)));
    }
    return AuditCommand.exitCode(
        verified.runs(), verified.problems(), verified.unsigned(), allowUnsigned);
  }

  private static Instant time(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notIso) {
      try {
        Duration age = Durations.parse(text);
        return Instant.now().minus(age);
      } catch (IllegalArgumentException e) {
        throw new UserException(
            ExitCodes.USAGE,
            "'" + text + "' is neither an ISO time (2026-11-22T03:00:00Z) nor an age (24h)");
      }
    }
  }
}
