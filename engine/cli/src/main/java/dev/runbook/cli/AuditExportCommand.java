package dev.runbook.cli;

import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.store.DirectoryStore;
import dev.runbook.engine.store.Store;
import dev.runbook.engine.store.TrailStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "export",
    description =
        "Write runs, byte for byte, into a directory in the state directory's format"
            + " (DIR/runs/ID/events.jsonl, events.head, outputs/), to archive them or to verify"
            + " them elsewhere.",
    footer = {
      "",
      "  runbook --store postgresql://runbook@db:5432/runbook \\",
      "      audit export --all --to /srv/audit/2026-12",
      "  runbook --state-dir /srv/audit/2026-12 audit verify --key runbook-signing.pub",
      "",
      "Reads the shared store with --store URL (or RUNBOOK_STORE), else the state",
      "directory. A run already in DIR is never written over: the command then",
      "exports nothing (exit 2). DIR gets export.jsonl, one line per run exported",
      "(its line count and the hash of its last line). An export has no ledger of",
      "runs (a store keeps none): 'audit verify' on DIR checks each run as usual",
      "and the set of runs against export.jsonl.",
      "",
      "Exit codes: 0 exported; 2 usage (no such run, DIR is a state directory, a",
      "run is there already, the store cannot be read); 8 the store holds a file",
      "the engine did not write."
    })
final class AuditExportCommand extends BaseCommand {

  /** Which runs: named ones, or all. */
  static final class Which {
    @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run ids (or unique prefixes).")
    List<String> runIds = new ArrayList<>();

    @Option(names = "--all", required = true, description = "Every run.")
    boolean all;
  }

  @ArgGroup(multiplicity = "1")
  Which which;

  @Option(
      names = "--to",
      paramLabel = "DIR",
      required = true,
      description = "The directory to write into (created if missing; not a state directory).")
  Path to;

  @Override
  public Integer call() throws IOException {
    Path target = to.toAbsolutePath().normalize();
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target)) {
      throw new UserException(ExitCodes.USAGE, "--to " + to + " is not a directory");
    }
    if (ExportManifest.isStateDirectory(target)) {
      throw new UserException(
          ExitCodes.USAGE,
          "--to "
              + to
              + " is an engine's state directory (it has a ledger of runs or a run index):"
              + " export into a new directory, or one an export wrote");
    }
    boolean shared = root().storeUrl() != null;
    String from =
        shared
            ? root().storeUrl().toString()
            : root().stateDirectory().toAbsolutePath().normalize().toString();
    if (!shared && root().stateDirectory().toAbsolutePath().normalize().equals(target)) {
      throw new UserException(ExitCodes.USAGE, "--to " + to + " is the state directory itself");
    }
    try (Store store =
        shared ? AuditSource.openStore(this) : new DirectoryStore(root().stateDirectory())) {
      return export(store.trails(), from, target);
    } catch (IOException | RuntimeException e) {
      throw AuditSource.storeFailure(from, e);
    }
  }

  private int export(TrailStore trails, String from, Path target) throws IOException {
    List<String> all = trails.runIds();
    List<String> ids = new ArrayList<>();
    if (which.all) {
      ids.addAll(all);
      if (ids.isEmpty()) {
        throw new UserException(ExitCodes.USAGE, "no runs in " + from + ": nothing to export");
      }
    } else {
      for (String id : which.runIds) {
        String found = AuditSource.resolve(all, id, from);
        if (!ids.contains(found)) {
          ids.add(found);
        }
      }
    }
    List<String> there = new ArrayList<>();
    for (String id : ids) {
      if (!RunDirectory.isValidId(id)) {
        throw new UserException(
            ExitCodes.AUDIT_BROKEN,
            "the store holds a run named '"
                + Visible.text(id)
                + "', which is not a run id: it was not written by the engine; nothing was"
                + " exported");
      }
      if (Files.exists(RunDirectory.runsRoot(target).resolve(id), LinkOption.NOFOLLOW_LINKS)) {
        there.add(id);
      }
    }
    if (!there.isEmpty()) {
      throw new UserException(
          ExitCodes.USAGE,
          (there.size() == 1 ? "run " + there.get(0) + " is" : there.size() + " runs are")
              + " in "
              + to
              + " already"
              + (there.size() == 1 ? "" : " (" + String.join(", ", there) + ")")
              + ": nothing was written over, nothing was exported");
    }
    RunCopy.createDirectories(target);
    int problems = 0;
    long lines = 0;
    for (String id : ids) {
      RunCopy.Copied copied;
      try {
        copied = RunCopy.copy(trails, id, target, true);
      } catch (FileAlreadyExistsException e) {
        throw new UserException(
            ExitCodes.USAGE,
            "run " + id + " appeared in " + to + " meanwhile: it was not written over");
      }
      ExportManifest.append(target, copied, from);
      lines += copied.lines();
      out().println(id + "  exported (" + Session.count(copied.lines(), "line") + ")");
      for (String problem : copied.problems()) {
        problems++;
        out().println("    ALTERED: " + problem);
      }
    }
    out()
        .println(
            Session.count(ids.size(), "run")
                + " ("
                + Session.count((int) lines, "line")
                + ") exported from "
                + from
                + " to "
                + target
                + "; check them with: runbook --state-dir "
                + target
                + " audit verify");
    return problems > 0 ? ExitCodes.AUDIT_BROKEN : ExitCodes.OK;
  }
}
