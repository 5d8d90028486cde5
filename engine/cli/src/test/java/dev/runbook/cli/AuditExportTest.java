package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit export} from the state directory (no {@code --store}; {@code AuditStoreIT} does the
 * same from PostgreSQL), and {@code audit verify} of what it wrote: the runs as in the state
 * directory, the set of runs against {@code export.jsonl} in place of the ledger.
 */
class AuditExportTest {

  @TempDir Path tmp;
  private Path state;
  private Path runbooks;
  private Path export;

  @BeforeEach
  void aRunbook() throws IOException {
    state = tmp.resolve("state");
    export = tmp.resolve("export");
    runbooks = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(
        runbooks.resolve("t.yaml"),
        """
        runbook: T
        title: two local steps
        steps:
          - id: first
            shell: echo one
          - id: second
            shell: echo two
        """);
  }

  private Cli cli(String... args) {
    return CliRun.state(state).runbooks(runbooks).with(args).inProcess();
  }

  private Cli onExport(String... args) {
    return CliRun.state(export).with(args).inProcess();
  }

  private List<RunDirectory> twoRuns() throws IOException {
    for (int i = 0; i < 2; i++) {
      Cli run = cli("run", "T");
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }
    return RunSummary.runs(state);
  }

  @Test
  void anExportVerifiesAndSaysThatItHasNoLedger() throws IOException {
    List<RunDirectory> runs = twoRuns();

    Cli exported = cli("audit", "export", "--all", "--to", export.toString());

    assertThat(exported.exitCode()).as(exported.err()).isZero();
    assertThat(exported.out()).contains("2 runs (16 lines) exported from " + state);
    for (RunDirectory run : runs) {
      Path copy = RunDirectory.runsRoot(export).resolve(run.runId());
      assertThat(Files.readAllBytes(copy.resolve("events.jsonl")))
          .isEqualTo(Files.readAllBytes(run.events()));
      assertThat(Files.readAllBytes(copy.resolve("events.head")))
          .isEqualTo(Files.readAllBytes(run.head()));
      assertThat(Files.readAllBytes(copy.resolve("outputs/second@1.log")))
          .isEqualTo(Files.readAllBytes(run.outputs().resolve("second@1.log")));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
          .isEqualTo("rwx------");
    }
    Cli verify = onExport("audit", "verify");
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out())
        .contains("2 runs checked, 0 altered; export.jsonl lists 2 runs, all there")
        .contains("not checked: this is an export");
    assertThat(onExport("audit", "list").exitCode()).isZero();
  }

  @Test
  void aRunIsNeverWrittenOverAndNothingIsExportedThen() throws IOException {
    List<RunDirectory> runs = twoRuns();
    assertThat(cli("audit", "export", runs.get(0).runId(), "--to", export.toString()).exitCode())
        .isZero();

    Cli again = cli("audit", "export", "--all", "--to", export.toString());

    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err())
        .isEqualTo(
            "runbook: run "
                + runs.get(0).runId()
                + " is in "
                + export
                + " already: nothing was written over, nothing was exported\n");
    assertThat(RunSummary.runs(export)).hasSize(1);
    // The second run alone can still be added, and the export still verifies.
    assertThat(cli("audit", "export", runs.get(1).runId(), "--to", export.toString()).exitCode())
        .isZero();
    assertThat(onExport("audit", "verify").exitCode()).isZero();
  }

  @Test
  void aRunDeletedFromOrAddedToAnExportIsFound() throws IOException {
    List<RunDirectory> runs = twoRuns();
    assertThat(cli("audit", "export", runs.get(0).runId(), "--to", export.toString()).exitCode())
        .isZero();
    // A run put in by hand, not by export: not in export.jsonl.
    Path planted = RunDirectory.runsRoot(export).resolve(runs.get(1).runId());
    Files.createDirectories(planted.resolve("outputs"));
    for (String file : List.of("events.jsonl", "events.head")) {
      Files.copy(runs.get(1).path().resolve(file), planted.resolve(file));
    }
    for (String output : List.of("first@1.log", "second@1.log")) {
      Files.copy(runs.get(1).outputs().resolve(output), planted.resolve("outputs/" + output));
    }

    Cli added = onExport("audit", "verify");

    assertThat(added.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(added.out())
        .contains(
            runs.get(1).runId()
                + "  ALTERED: this run is not in export.jsonl: it was put into the export"
                + " afterwards");

    RunCopy.deleteTree(planted);
    RunCopy.deleteTree(RunDirectory.runsRoot(export).resolve(runs.get(0).runId()));
    Cli deleted = onExport("audit", "verify");
    assertThat(deleted.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(deleted.out())
        .contains("runs  ALTERED: run " + runs.get(0).runId() + " is in export.jsonl (exported ")
        .contains("but its directory is gone: it was deleted from the export");
  }

  @Test
  void aPlantedExportListDoesNotHideADeletedLedger() throws IOException {
    List<RunDirectory> runs = twoRuns();
    assertThat(cli("audit", "export", "--all", "--to", export.toString()).exitCode()).isZero();
    // The state directory's ledger deleted and the export's list put in its place: the run index
    // the engine left there still marks it as a state directory, checked as one.
    Files.delete(state.resolve("ledger.jsonl"));
    Files.copy(export.resolve("export.jsonl"), state.resolve("export.jsonl"));

    Cli verify = cli("audit", "verify");

    assertThat(verify.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(verify.out()).contains("ledger.jsonl is missing").doesNotContain("an export");
    assertThat(runs).hasSize(2);
  }

  @Test
  void anExportIntoAStateDirectoryIsRefused() throws IOException {
    twoRuns();
    Path other = tmp.resolve("other");
    CliRun.state(other).runbooks(runbooks).run("T").inProcess();

    Cli into = cli("audit", "export", "--all", "--to", other.toString());

    assertThat(into.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(into.err())
        .startsWith("runbook: --to " + other + " is an engine's state directory")
        .doesNotContain("Exception");
    assertThat(RunSummary.runs(other)).hasSize(1);
  }
}
