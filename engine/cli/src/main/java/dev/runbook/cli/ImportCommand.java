package dev.runbook.cli;

import dev.runbook.engine.Refused;
import dev.runbook.engine.model.Problem;
import dev.runbook.importer.ImportException;
import dev.runbook.importer.ImportReport;
import dev.runbook.importer.ImportedRunbook;
import dev.runbook.importer.Importer;
import dev.runbook.importer.document.Edition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    sortOptions = false,
    description = {
      "Turn vendor alarm documents into runbooks. Numbered steps keep their numbers",
      "as 'ref'; \"If yes, go to 4\" becomes a yes branch; \"Run the **df -h**",
      "command\" a shell step on the alarm host; \"check whether the alarm is cleared",
      "5 minutes later\" a wait and a question. What needs a person is marked",
      "'# TODO(import): ...' and counted in the last line (on standard error).",
      "Every runbook is checked as 'runbook validate' checks it.",
      "",
      "  runbook import ALM-12017.rst                     print the runbook",
      "  runbook import docs/mrs-alarms -o runbooks/mrs   one file per runbook",
      "",
      "Documents: .rst (reStructuredText), .md (Markdown), .txt (a help page copied",
      "as text); a folder means every such file in it. Two editions of one alarm",
      "do not collide: the MRS 3.x edition is ALM-12042 (it answers to 12042); the",
      "one for versions earlier than 3.x is ALM-12042-pre3 (and ALM-12042@pre-3.x).",
      "The edition comes from the file name (versions_earlier_than_mrs_3.x__...) or",
      "the page; --edition gives it for every document.",
      ""
    },
    footer = {
      "",
      "Exit codes: 0 every document imported; 2 a document could not be read or is",
      "of no known shape (the others are still imported); 3 a runbook failed",
      "validation (a bug in the importer).",
      "Docs: docs/import.md"
    })
final class ImportCommand extends BaseCommand {

  @Parameters(
      paramLabel = "DOC",
      arity = "1..*",
      description = "Documents (.rst, .md, .txt), or folders of them.")
  List<Path> documents = new ArrayList<>();

  @Option(
      names = {"-o", "--output-dir"},
      paramLabel = "DIR",
      description =
          "Write one file per runbook into DIR (created if missing), named after the runbook."
              + " Default: standard output, runbooks separated by '---'.")
  Path outputDir;

  @Option(
      names = "--edition",
      paramLabel = "3.x|pre-3.x",
      description = "The edition every document is for (default: read from each document).")
  String edition;

  @Option(
      names = "--force",
      description = "Replace files that already exist in the output directory.")
  boolean force;

  @Override
  public Integer call() throws IOException, Refused {
    Edition forced = null;
    if (edition != null) {
      forced = Edition.ofOption(edition);
      if (forced == null) {
        throw new UserException(ExitCodes.USAGE, "--edition " + edition + ": give 3.x or pre-3.x");
      }
    }
    List<Path> files;
    try {
      files = Importer.documents(documents);
    } catch (ImportException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
    if (files.isEmpty()) {
      throw new UserException(ExitCodes.USAGE, "no documents (.rst, .md, .txt) in " + documents);
    }
    if (outputDir != null) {
      Files.createDirectories(outputDir);
    }
    Importer importer = new Importer(forced);
    List<ImportedRunbook> imported = new ArrayList<>();
    Map<String, Path> byId = new LinkedHashMap<>();
    int failed = 0;
    int invalid = 0;
    for (Path file : files) {
      ImportedRunbook runbook;
      try {
        runbook = importer.importFile(file);
      } catch (ImportException e) {
        err().println("runbook: " + e.getMessage());
        failed++;
        continue;
      } catch (RuntimeException e) {
        // One document must not stop the others; this is a bug in the importer, said as such.
        err()
            .println(
                "runbook: " + file + ": internal error while importing (a bug in runbook): " + e);
        if (root().debug) {
          e.printStackTrace(err());
        }
        failed++;
        continue;
      }
      Path first = byId.putIfAbsent(runbook.id().toLowerCase(Locale.ROOT), file);
      if (first != null) {
        err()
            .println(
                "runbook: "
                    + file
                    + ": gives runbook "
                    + runbook.id()
                    + ", as "
                    + first
                    + " does; not written (import them separately, or give one --edition)");
        failed++;
        continue;
      }
      Path target = outputDir == null ? null : outputDir.resolve(runbook.id() + ".yaml");
      if (!valid(runbook, target)) {
        invalid++;
      }
      write(runbook, target, imported.isEmpty());
      imported.add(runbook);
    }
    ImportReport report = ImportReport.of(imported, failed);
    err().println(report.line());
    if (invalid > 0) {
      err()
          .println(
              Session.count(invalid, "runbook")
                  + " failed validation: this is a bug in the importer; the problems are above");
      return ExitCodes.INVALID_RUNBOOK;
    }
    return failed > 0 ? ExitCodes.USAGE : ExitCodes.OK;
  }

  /** Checks the runbook as 'runbook validate' would; prints every problem. */
  private boolean valid(ImportedRunbook runbook, Path target) throws Refused {
    String label =
        target != null ? target.toString() : runbook.document() + " (as " + runbook.id() + ")";
    List<Problem> problems =
        session().engine().check(label, runbook.yaml().getBytes(StandardCharsets.UTF_8));
    problems.forEach(err()::println);
    return problems.isEmpty();
  }

  private void write(ImportedRunbook runbook, Path target, boolean first) throws IOException {
    if (target == null) {
      if (!first) {
        out().println("---");
      }
      out().print(runbook.yaml());
      out().flush();
      return;
    }
    if (Files.exists(target) && !force) {
      throw new UserException(ExitCodes.USAGE, target + " exists; give --force to replace it");
    }
    Files.writeString(target, runbook.yaml(), StandardCharsets.UTF_8);
  }
}
