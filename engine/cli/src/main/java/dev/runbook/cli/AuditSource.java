package dev.runbook.cli;

import dev.runbook.engine.Refused;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.store.Store;
import dev.runbook.engine.store.TrailStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the audit commands read runs: the state directory, a directory {@code audit export} wrote,
 * or a shared store ({@code --store}). A store's runs are copied, byte for byte, into a private
 * temporary directory in the state directory's format and checked there by the same verifier, so
 * there is one verifier, not one per store; the copy is deleted when the command ends.
 *
 * <p>The copy is made afresh each time, never kept between commands: keeping it and copying only
 * the runs whose line count or head changed would miss exactly what a verifier is for, a line's
 * bytes changed in the database with the count and head left as they were. Verifying reads every
 * byte of a trail anyway.
 */
final class AuditSource implements Closeable {

  /** What kind of place the runs are in. */
  enum Kind {
    STATE_DIRECTORY,
    EXPORT,
    STORE
  }

  private final Kind kind;
  private final Path dir;
  private final String name;
  private final Store store;

  /** Problems the copy from the store found, by run ({@code ""}: the store as a whole). */
  private final Map<String, List<String>> copyProblems = new LinkedHashMap<>();

  private AuditSource(Kind kind, Path dir, String name, Store store) {
    this.kind = kind;
    this.dir = dir;
    this.name = name;
    this.store = store;
  }

  /**
   * The runs a command reads: with {@code --store}, those of the store named by {@code runIds} (ids
   * or unique prefixes; empty: every run), copied out; else the state directory.
   */
  static AuditSource open(BaseCommand command, List<String> runIds) throws IOException {
    RunbookCommand root = command.root();
    if (root.storeUrl() == null) {
      Path dir = root.stateDirectory();
      return new AuditSource(
          ExportManifest.isExport(dir) ? Kind.EXPORT : Kind.STATE_DIRECTORY,
          dir,
          dir.toString(),
          null);
    }
    Store store = openStore(command);
    AuditSource source = null;
    try {
      Path snapshot =
          Files.createTempDirectory(
              "runbook-audit-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      source = new AuditSource(Kind.STORE, snapshot, root.storeUrl().toString(), store);
      source.copyFromStore(runIds);
      return source;
    } catch (IOException | RuntimeException e) {
      if (source != null) {
        source.close();
      } else {
        store.close();
      }
      throw storeFailure(root.storeUrl().toString(), e);
    }
  }

  /** The shared store {@code --store} names, opened; a store that cannot be reached is exit 2. */
  static Store openStore(BaseCommand command) {
    try {
      return command.session().engine().store();
    } catch (Refused e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** One line for a store that failed mid-way (down, refused the query), exit 2. */
  static RuntimeException storeFailure(String store, Exception e) {
    if (e instanceof UserException user) {
      return user;
    }
    return new UserException(
        ExitCodes.USAGE,
        "cannot read the runs of "
            + store
            + ": "
            + (e.getMessage() == null ? e.toString() : e.getMessage()));
  }

  private void copyFromStore(List<String> wanted) throws IOException {
    TrailStore trails = store.trails();
    List<String> all = trails.runIds();
    List<String> ids = new ArrayList<>();
    if (wanted.isEmpty()) {
      for (String id : all) {
        if (RunDirectory.isValidId(id)) {
          ids.add(id);
        } else {
          copyProblems
              .computeIfAbsent("", k -> new ArrayList<>())
              .add(
                  "the store holds a run named '"
                      + Visible.text(id)
                      + "', which is not a run id: it was not written by the engine");
        }
      }
    } else {
      for (String id : wanted) {
        String found = resolve(all, id, name);
        if (!ids.contains(found)) {
          ids.add(found);
        }
      }
    }
    for (String id : ids) {
      RunCopy.Copied copied = RunCopy.copy(trails, id, dir, false);
      if (!copied.problems().isEmpty()) {
        copyProblems.put(id, copied.problems());
      }
    }
  }

  /** A run id or a unique prefix of one, among the runs of {@code where}. */
  static String resolve(List<String> all, String id, String where) {
    if (!RunDirectory.isValidId(id)) {
      throw new UserException(
          ExitCodes.USAGE,
          "'"
              + Visible.text(id)
              + "' is not a run id (run ids look like 20261122-031502-4f2a9c0d; 'runbook audit list'"
              + " shows them)");
    }
    if (all.contains(id)) {
      return id;
    }
    List<String> matches = all.stream().filter(r -> r.startsWith(id)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.size() > 1) {
      throw new UserException(
          ExitCodes.USAGE, "'" + id + "' matches " + matches.size() + " runs; give more of the id");
    }
    throw new UserException(
        ExitCodes.USAGE,
        "no run '" + id + "' in " + where + " ('runbook audit list' shows the runs there)");
  }

  Kind kind() {
    return kind;
  }

  /** The directory the runs are read from (for a store: the private copy). */
  Path dir() {
    return dir;
  }

  /** Where the runs are, for messages: the state directory, or the store's URL. */
  String name() {
    return name;
  }

  /** Every run, oldest first. */
  List<RunDirectory> runs() throws IOException {
    return RunSummary.runs(dir);
  }

  /** A run by id or unique prefix. */
  RunDirectory find(String runId) {
    return AuditCommand.find(dir, runId);
  }

  /**
   * Verifies runs the way this kind of place allows: a state directory with its ledger of runs and
   * its index; an export against its {@code export.jsonl}; a store's runs each on its own (a store
   * keeps no ledger), with what copying them out found.
   *
   * @param allRuns whether {@code runs} is every run there
   */
  AuditVerifier.StateReport verify(
      List<RunDirectory> runs, boolean allRuns, AuditVerifier.Options options) throws IOException {
    if (kind == Kind.STATE_DIRECTORY) {
      return AuditVerifier.verifyState(dir, runs, allRuns, options);
    }
    List<AuditVerifier.Report> reports = AuditVerifier.verifyAll(runs, options);
    Map<String, List<String>> problems;
    int listed = 0;
    if (kind == Kind.EXPORT) {
      List<String> unreadable = new ArrayList<>();
      Map<String, ExportManifest.Entry> entries = ExportManifest.read(dir, unreadable);
      listed = entries.size();
      problems = ExportManifest.check(dir, runs, allRuns, entries);
      if (!unreadable.isEmpty()) {
        problems.computeIfAbsent("", k -> new ArrayList<>()).addAll(unreadable);
      }
    } else {
      problems = copyProblems;
    }
    List<AuditVerifier.Report> withProblems = new ArrayList<>();
    for (AuditVerifier.Report report : reports) {
      withProblems.add(report.alteredBy(problems.getOrDefault(report.runId(), List.of())));
    }
    List<String> whole = allRuns ? problems.getOrDefault("", List.of()) : List.of();
    return new AuditVerifier.StateReport(
        List.copyOf(withProblems), List.copyOf(whole), List.of(), false, listed, null);
  }

  /**
   * What a verification of this place cannot check, said after its result: a store and an export
   * have no ledger of runs.
   */
  String limits() {
    return switch (kind) {
      case STATE_DIRECTORY -> null;
      case EXPORT ->
          "this is an export ("
              + ExportManifest.FILE
              + "), not a state directory: each run was checked, and the set of runs against "
              + ExportManifest.FILE
              + "; no ledger of runs comes with an export (a store keeps none), so a run deleted"
              + " before the export cannot be told";
      case STORE ->
          "the store keeps no ledger of runs: each run's lines, head, signature and output files"
              + " were checked, but a run deleted whole from the database cannot be told"
              + " (export the runs, or keep 'audit list --output json', elsewhere to pin them)";
    };
  }

  /**
   * A run's status as shown: a store cannot tell a run going on on some server from one whose
   * server stopped, as a state directory's run lock does.
   */
  String shownStatus(String status, AuditVerifier.Report report) {
    if (kind == Kind.STORE
        && "stopped".equals(status)
        && (report == null || report.verdict() != AuditVerifier.Verdict.ALTERED)) {
      String shown = "not ended (running on a server, or stopped)";
      return report != null && report.verdict() == AuditVerifier.Verdict.UNSIGNED
          ? shown + ", UNSIGNED"
          : report != null && report.verdict() == AuditVerifier.Verdict.TORN
              ? shown + ", TORN"
              : shown;
    }
    return AuditCommand.shownStatus(status, report);
  }

  @Override
  public void close() throws IOException {
    try {
      if (kind == Kind.STORE) {
        RunCopy.deleteTree(dir);
      }
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }
}
