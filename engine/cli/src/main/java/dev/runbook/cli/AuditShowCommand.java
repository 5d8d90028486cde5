package dev.runbook.cli;

import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.audit.TrailFiles;
import dev.runbook.engine.audit.TrustedKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    description =
        "Show a run's timeline: what ran where, output, every decision with the values behind it, every answer.",
    footer = {
      "",
      "Reads the state directory (--state-dir), or with --store URL the run in a",
      "shared store; verified first: an ALTERED banner and exit 8 if it was",
      "tampered with."
    })
final class AuditShowCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (or a unique prefix).")
  String runId;

  @Mixin OutputFormat output;

  @Option(
      names = "--key",
      paramLabel = "PUB",
      description =
          "Check the signature with this public key file (repeatable; default: RUNBOOK_TRUSTED_KEYS).")
  List<Path> keys = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    TrustedKeys trusted = AuditCommand.trustedKeys(keys);
    try (AuditSource source = AuditSource.open(this, List.of(runId))) {
      return show(source, trusted);
    }
  }

  private int show(AuditSource source, TrustedKeys trusted) throws IOException {
    RunDirectory dir = source.find(runId);
    AuditVerifier.StateReport verified =
        source.verify(List.of(dir), false, new AuditVerifier.Options(trusted));
    AuditVerifier.Report report = verified.runs().get(0);
    AuditTrail trail;
    try {
      trail = AuditTrail.read(dir);
    } catch (TrailFiles.NotRegularFile e) {
      throw new UserException(
          ExitCodes.AUDIT_BROKEN, "run " + dir.runId() + ": ALTERED: " + e.getMessage());
    }
    int exit = AuditCommand.exitCode(verified.runs(), List.of(), List.of(), false);
    if (output.json()) {
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
    // A run read from a store is shown from a temporary copy, gone when the command ends.
    boolean fromStore = source.kind() == AuditSource.Kind.STORE;
    new TimelinePrinter(out(), dir, !fromStore).print(trail, RunSummary.of(dir));
    if (fromStore) {
      out()
          .println(
              "Store: "
                  + source.name()
                  + "   (runbook --store URL audit verify "
                  + dir.runId()
                  + "; audit export "
                  + dir.runId()
                  + " --to DIR keeps a copy)");
    }
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
    report.findings().stream().skip(1).forEach(p -> out().println("!!   also: " + Visible.text(p)));
    if (report.verdict() == AuditVerifier.Verdict.ALTERED) {
      out().println("!! This trail is not what the engine wrote: do not rely on what it shows.");
    }
    out().println(line);
  }
}
