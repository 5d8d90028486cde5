package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.audit.SigningKey;
import dev.runbook.engine.audit.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
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
    subcommands = {
      AuditCommand.ListRuns.class,
      AuditCommand.Show.class,
      AuditCommand.Verify.class,
      AuditReportCommand.class,
      AuditKeygenCommand.class
    })
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
    } catch (IllegalArgumentException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    } catch (NoSuchFileException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    } catch (IOException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /**
   * The trusted keys: the {@code --key} files, else those of {@link TrustedKeys#ENVIRONMENT}
   * (colon-separated files), else null (signatures not checked).
   */
  static TrustedKeys trustedKeys(List<Path> keyFiles) {
    List<Path> files = new ArrayList<>(keyFiles == null ? List.of() : keyFiles);
    String env = System.getenv(TrustedKeys.ENVIRONMENT);
    if (files.isEmpty() && env != null && !env.isBlank()) {
      for (String part : env.split(":")) {
        if (!part.isBlank()) {
          files.add(Path.of(part));
        }
      }
    }
    if (files.isEmpty()) {
      return null;
    }
    try {
      return TrustedKeys.load(files);
    } catch (SigningKey.Unusable e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** What a verified run's status reads as in a list or a timeline's heading. */
  static String shownStatus(String status, AuditVerifier.Report report) {
    if (report != null && report.verdict() == AuditVerifier.Verdict.ALTERED) {
      return "ALTERED";
    }
    String shown = "stopped".equals(status) ? "stopped (crashed or killed)" : status;
    if (report != null && report.verdict() == AuditVerifier.Verdict.UNSIGNED) {
      return shown + ", UNSIGNED";
    }
    if (report != null && report.verdict() == AuditVerifier.Verdict.TORN) {
      return shown + ", TORN";
    }
    return shown;
  }

  /** The exit code for verification reports. */
  static int exitCode(
      List<AuditVerifier.Report> reports,
      List<String> stateProblems,
      List<String> stateUnsigned,
      boolean allowUnsigned) {
    boolean altered =
        !stateProblems.isEmpty()
            || reports.stream().anyMatch(r -> r.verdict() == AuditVerifier.Verdict.ALTERED);
    boolean unsigned =
        !stateUnsigned.isEmpty()
            || reports.stream().anyMatch(r -> r.verdict() == AuditVerifier.Verdict.UNSIGNED);
    boolean torn = reports.stream().anyMatch(r -> !r.torn().isEmpty());
    if (altered || (unsigned && !allowUnsigned)) {
      return ExitCodes.AUDIT_BROKEN;
    }
    return torn ? ExitCodes.AUDIT_TORN : ExitCodes.OK;
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

    @Option(
        names = "--output",
        paramLabel = "text|json",
        description = "Output format (default: text).")
    Format format = Format.TEXT;

    @Override
    public Integer call() throws IOException {
      Instant from = since == null ? null : time(since);
      Instant to = until == null ? null : time(until);
      TrustedKeys trusted = trustedKeys(keys);
      Path stateDir = root().stateDirectory();
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
          AuditVerifier.verifyState(stateDir, dirs, everything, new AuditVerifier.Options(trusted));
      Map<String, AuditVerifier.Report> byRun = new LinkedHashMap<>();
      verified.runs().forEach(r -> byRun.put(r.runId(), r));
      if (format == Format.JSON) {
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
              shownStatus(s.status(), byRun.get(s.runId())),
              s.started() == null ? "" : s.started().toString(),
              s.operator() == null ? "" : Visible.text(s.operator() + "@" + s.machine()),
              String.join(" ", params));
        }
        table.print(out());
        if (!Files.isDirectory(stateDir)) {
          err().println("no state directory at " + stateDir + ": no run has been recorded there");
        } else if (rows.isEmpty()) {
          err().println("no runs match, in " + stateDir);
        }
        for (AuditVerifier.Report report : verified.runs()) {
          if (!report.ok()) {
            err()
                .println(
                    report.runId() + "  " + report.verdict() + ": " + report.findings().get(0));
          }
        }
        verified.problems().forEach(p -> err().println("ALTERED: " + p));
      }
      return exitCode(verified.runs(), verified.problems(), verified.unsigned(), allowUnsigned);
    }

    private static Instant time(String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException notIso) {
        try {
          Duration age = dev.runbook.engine.expr.Durations.parse(text);
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

    @Option(
        names = "--key",
        paramLabel = "PUB",
        description =
            "Check the signature with this public key file (repeatable; default: RUNBOOK_TRUSTED_KEYS).")
    List<Path> keys = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
      TrustedKeys trusted = trustedKeys(keys);
      Path stateDir = root().stateDirectory();
      RunDirectory dir = find(stateDir, runId);
      AuditVerifier.StateReport verified =
          AuditVerifier.verifyState(
              stateDir, List.of(dir), false, new AuditVerifier.Options(trusted));
      AuditVerifier.Report report = verified.runs().get(0);
      AuditTrail trail;
      try {
        trail = AuditTrail.read(dir);
      } catch (dev.runbook.engine.audit.TrailFiles.NotRegularFile e) {
        throw new UserException(
            ExitCodes.AUDIT_BROKEN, "run " + dir.runId() + ": ALTERED: " + e.getMessage());
      }
      int exit = exitCode(verified.runs(), List.of(), List.of(), false);
      if (format == Format.JSON) {
        List<Object> lines = new ArrayList<>();
        trail.lines().forEach(l -> lines.add(l.json()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("verdict", report.verdict().name());
        json.put("problems", report.findings());
        json.put("lines", lines);
        printJson(json);
        return exit;
      }
      banner(report);
      new TimelinePrinter(out(), dir).print(trail, RunSummary.of(dir));
      banner(report);
      return exit;
    }

    /** An altered or torn trail is said before and after the timeline, so no one misses it. */
    private void banner(AuditVerifier.Report report) {
      if (report.ok()) {
        return;
      }
      String line = "!".repeat(72);
      out().println(line);
      out().println("!! " + report.verdict() + ": " + Visible.text(report.findings().get(0)));
      report.findings().stream()
          .skip(1)
          .forEach(p -> out().println("!!   also: " + Visible.text(p)));
      if (report.verdict() == AuditVerifier.Verdict.ALTERED) {
        out().println("!! This trail is not what the engine wrote: do not rely on what it shows.");
      }
      out().println(line);
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

    @Option(
        names = "--key",
        paramLabel = "PUB",
        description =
            "A trusted public key file (repeatable; a file may hold several keys, for rotation;"
                + " default: RUNBOOK_TRUSTED_KEYS). Each run's head must then be signed by one.")
    List<Path> keys = new ArrayList<>();

    @Option(
        names = "--allow-unsigned",
        description = "With --key: report runs without a signature as UNSIGNED but do not fail.")
    boolean allowUnsigned;

    @Override
    public Integer call() throws IOException {
      TrustedKeys trusted = trustedKeys(keys);
      Path stateDir = root().stateDirectory();
      if (!Files.isDirectory(stateDir)) {
        throw new UserException(
            ExitCodes.USAGE,
            "no state directory at "
                + stateDir
                + ": there is nothing to verify (--state-dir DIR?)");
      }
      List<RunDirectory> runs = new ArrayList<>();
      if (runIds.isEmpty()) {
        runs.addAll(RunSummary.runs(stateDir));
      } else {
        runIds.forEach(id -> runs.add(find(stateDir, id)));
      }
      AuditVerifier.StateReport state =
          AuditVerifier.verifyState(
              stateDir, runs, runIds.isEmpty(), new AuditVerifier.Options(trusted));
      if (runs.isEmpty() && !state.ledgerExists()) {
        throw new UserException(
            ExitCodes.USAGE, "no runs in " + stateDir + ": there is nothing to verify");
      }
      int altered = 0;
      int torn = 0;
      int unsigned = 0;
      List<Map<String, Object>> rows = new ArrayList<>();
      for (AuditVerifier.Report report : state.runs()) {
        switch (report.verdict()) {
          case ALTERED -> altered++;
          case UNSIGNED -> unsigned++;
          case TORN -> torn++;
          default -> {}
        }
        if (format == Format.JSON) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("run", report.runId());
          row.put("lines", report.lines());
          row.put("ok", report.ok());
          row.put("verdict", report.verdict().name());
          row.put("problems", report.findings());
          row.put("signature", report.signature());
          row.put("running", report.running());
          rows.add(row);
        } else if (report.ok()) {
          out()
              .println(
                  report.runId()
                      + "  ok ("
                      + report.lines()
                      + " lines"
                      + signatureText(report, trusted)
                      + (report.running() ? "; running now" : "")
                      + ")");
        } else {
          out()
              .println(
                  report.runId()
                      + "  "
                      + report.verdict()
                      + ": "
                      + Visible.text(report.findings().get(0)));
          report.findings().stream()
              .skip(1)
              .forEach(p -> out().println("    also: " + Visible.text(p)));
        }
      }
      for (String problem : state.problems()) {
        if (format == Format.TEXT) {
          out().println("ledger  ALTERED: " + problem);
        }
      }
      for (String problem : state.unsigned()) {
        if (format == Format.TEXT) {
          out().println("ledger  UNSIGNED: " + problem);
        }
      }
      if (format == Format.JSON) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", rows);
        json.put(
            "ledger",
            Map.of(
                "exists", state.ledgerExists(),
                "lines", state.ledgerLines(),
                "problems", state.problems(),
                "unsigned", state.unsigned()));
        printJson(json);
      } else {
        out()
            .println(
                runs.size()
                    + " run"
                    + (runs.size() == 1 ? "" : "s")
                    + " checked, "
                    + altered
                    + " altered"
                    + (torn > 0 ? ", " + torn + " torn" : "")
                    + (unsigned > 0 ? ", " + unsigned + " unsigned" : "")
                    + (state.ledgerExists()
                        ? "; ledger "
                            + state.ledgerLines()
                            + " lines"
                            + (state.problems().isEmpty() ? " ok" : " ALTERED")
                            + (state.ledgerHead() == null
                                ? ""
                                : ", last line sha256 " + state.ledgerHead())
                        : "; no ledger"));
      }
      return exitCode(state.runs(), state.problems(), state.unsigned(), allowUnsigned);
    }

    private static String signatureText(AuditVerifier.Report report, TrustedKeys trusted) {
      AuditVerifier.SignatureState signature = report.signature();
      if (trusted == null) {
        return signature.key() == null ? ", unsigned" : ", signature not checked";
      }
      return signature.state().equals("valid")
          ? ", signed by " + signature.key()
          : ", " + signature.state();
    }
  }

  static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  static boolean isStep(AuditEvent event) {
    return event instanceof AuditEvent.StepStarted;
  }
}
