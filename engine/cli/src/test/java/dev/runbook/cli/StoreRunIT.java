package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.engine.Engine;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.store.DirectoryStore;
import dev.runbook.engine.store.Store;
import dev.runbook.engine.store.StoreUrl;
import dev.runbook.engine.store.TrailExport;
import dev.runbook.engine.store.TrailStore;
import dev.runbook.fixtures.ChildJvm;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.postgresql.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runbook run} and {@code runbook resume} with {@code --store postgresql://…} against a real
 * PostgreSQL started by the test: the run's trail goes to the store line for line (its output files
 * too), and a person on another machine (another state directory) resumes the run from the store's
 * copy alone; nothing runs twice, and every copy verifies.
 */
class StoreRunIT {

  @TempDir Path dir;

  @Test
  void aRunKeptInTheStoreIsResumedFromAnotherStateDirectory() throws Exception {
    assumeTrue(PostgresServer.installed(), "PostgreSQL 15 (Debian's postgresql) is not installed");
    Path library = Files.createDirectories(dir.resolve("runbooks"));
    Path mark = dir.resolve("mark");
    Files.writeString(
        library.resolve("stored.yaml"),
        """
        runbook: STORED
        title: A run kept in the shared store
        steps:
          - id: look
            shell: echo looked; seq 1 200
            changes: false
          - id: change
            shell: echo changed >> %1$s
            changes: true
          - id: cleared
            ask: Is the alarm cleared?
            yes: done
            no: again
          - id: again
            shell: echo again >> %1$s
            changes: true
          - id: done
            end: resolved
        """
            .formatted(mark));
    Path here = dir.resolve("state-here");
    Path there = dir.resolve("state-there");
    try (PostgresServer pg = PostgresServer.start()) {
      CliRun.Finished paused =
          CliRun.state(here).runbooks(library).with("--store", pg.url()).run("STORED").inChild(dir);
      assertThat(paused.exitCode()).as(paused.terminal()).isEqualTo(ExitCodes.PAUSED);
      List<RunDirectory> runs = RunSummary.runs(here);
      assertThat(runs).hasSize(1);
      RunDirectory run = runs.get(0);

      Engine engine =
          Engine.builder().stateDir(dir.resolve("reader")).store(StoreUrl.parse(pg.url())).build();
      try (Store store = engine.store()) {
        TrailStore trails = store.trails();
        assertThat(joined(trails.lines(run.runId())))
            .as("the store's lines are the trail's, byte for byte")
            .isEqualTo(Files.readAllBytes(run.events()));
        assertThat(trails.fileNames(run.runId())).isNotEmpty();

        CliRun.Finished resumed =
            CliRun.state(there)
                .runbooks(library)
                .with("--store", pg.url())
                .resume(run.runId())
                .answer("cleared", "yes")
                .inChild(dir);
        assertThat(resumed.exitCode()).as(resumed.terminal()).isZero();
        assertThat(Files.readAllLines(mark)).as("the change ran once").containsExactly("changed");

        RunDirectory resumedThere = RunDirectory.find(there, run.runId());
        assertThat(AuditVerifier.verify(resumedThere).findings()).isEmpty();
        assertThat(joined(trails.lines(run.runId())))
            .isEqualTo(Files.readAllBytes(resumedThere.events()));
        // Exported from the store alone (lines, output files, head), the trail verifies.
        Path exported = dir.resolve("exported");
        try (DirectoryStore out = new DirectoryStore(exported)) {
          TrailExport.copy(trails, run.runId(), out.trails());
        }
        assertThat(
                AuditVerifier.verify(
                        new RunDirectory(
                            run.runId(), RunDirectory.runsRoot(exported).resolve(run.runId())))
                    .findings())
            .isEmpty();
      }
    }
  }

  @Test
  void aLockHeldOnOneMachineExcludesARunOnAnotherSharingTheStore() throws Exception {
    assumeTrue(PostgresServer.installed(), "PostgreSQL 15 (Debian's postgresql) is not installed");
    Path library = Files.createDirectories(dir.resolve("runbooks"));
    Path began = dir.resolve("began");
    Files.writeString(
        library.resolve("locked.yaml"),
        """
        runbook: LOCKED
        title: One change per target at a time, wherever it is run from
        params:
          t: {type: string, required: true}
        lock: target-${params.t}
        steps:
          - id: change
            shell: echo began >> %s; sleep 20
            changes: true
        """
            .formatted(began));
    try (PostgresServer pg = PostgresServer.start()) {
      CliRun locked = CliRun.bare().runbooks(library).with("--store", pg.url());
      try (ChildJvm first =
          CliRun.state(dir.resolve("machine-a"))
              .with(locked.args())
              .run("LOCKED")
              .param("t", "db1")
              .start(dir)) {
        Eventually.within(
            Duration.ofSeconds(60), "the first run to begin", () -> Files.exists(began));
        CliRun.Finished second =
            CliRun.state(dir.resolve("machine-b"))
                .with(locked.args())
                .run("LOCKED")
                .param("t", "db1")
                .inChild(dir);
        assertThat(second.exitCode()).as(second.terminal()).isEqualTo(ExitCodes.LOCKED);
        assertThat(second.terminal())
            .contains("lock 'target-db1' is held by")
            .contains("in the shared store");
        first.kill();
      }
      assertThat(Files.readAllLines(began))
          .as("the second run began nothing")
          .containsExactly("began");
    }
  }

  private static byte[] joined(List<byte[]> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] line : lines) {
      out.writeBytes(line);
      out.write('\n');
    }
    return out.toByteArray();
  }
}
