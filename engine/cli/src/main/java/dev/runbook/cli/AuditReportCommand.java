package dev.runbook.cli;

import dev.runbook.cli.report.HtmlReport;
import dev.runbook.cli.report.MarkdownReport;
import dev.runbook.cli.report.RunRecord;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.audit.TrailFiles;
import dev.runbook.engine.audit.TrustedKeys;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "report",
    description =
        "Write a run's report: one self-contained HTML page (or Markdown) with the verification"
            + " verdict, the step graph with the path taken, and the timeline.",
    footer = {
      "",
      "Reads the state directory (--state-dir), or with --store URL the run in a",
      "shared store. Exit code: the verification's (0 ok, 8 altered, 9 torn)."
    })
final class AuditReportCommand extends BaseCommand {

  /** The report formats. */
  enum ReportFormat {
    HTML,
    MD
  }

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (or a unique prefix).")
  String runId;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE (default: standard output).")
  Path outFile;

  @Option(names = "--format", paramLabel = "html|md", description = "html (default) or md.")
  ReportFormat format = ReportFormat.HTML;

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
      return report(source, trusted);
    }
  }

  private int report(AuditSource source, TrustedKeys trusted) throws IOException {
    RunDirectory dir = source.find(runId);
    AuditVerifier.Report report =
        source.verify(List.of(dir), false, new AuditVerifier.Options(trusted)).runs().get(0);
    AuditTrail trail;
    try {
      trail = AuditTrail.read(dir);
    } catch (TrailFiles.NotRegularFile e) {
      throw new UserException(
          ExitCodes.AUDIT_BROKEN, "run " + dir.runId() + ": ALTERED: " + e.getMessage());
    }
    RunSummary summary = RunSummary.of(dir);
    RunRecord record = RunRecord.of(trail, report, source.shownStatus(summary.status(), report));
    Runbook runbook = runbookAsItWas(record);
    String text =
        format == ReportFormat.HTML
            ? HtmlReport.render(record, runbook)
            : MarkdownReport.render(record, runbook);
    if (outFile != null) {
      Path parent = outFile.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new UserException(ExitCodes.USAGE, "-o " + outFile + ": no such directory " + parent);
      }
      createPrivate(outFile);
      Files.writeString(outFile, text, StandardCharsets.UTF_8);
      err().println("wrote " + outFile + " (" + report.verdict() + ")");
    } else {
      out().print(text);
      out().flush();
    }
    return AuditCommand.exitCode(List.of(report), List.of(), List.of(), false);
  }

  /**
   * A new report file is readable by its user only, as the trail it is made from (it holds what the
   * steps printed); an existing one keeps the permissions its owner gave it.
   */
  private static void createPrivate(Path file) throws IOException {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }

  /**
   * The runbook with the content the run started with: from the library, else from the file the
   * trail names; null when neither has that content any more.
   */
  private Runbook runbookAsItWas(RunRecord record) {
    AuditEvent.RunStarted start = record.start;
    if (start == null) {
      return null;
    }
    try {
      return session().engine().runbookAsStarted(start).orElse(null);
    } catch (IOException e) {
      return null; // the graph then shows the path alone
    }
  }
}
