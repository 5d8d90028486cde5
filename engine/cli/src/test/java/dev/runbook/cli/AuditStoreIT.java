package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.postgresql.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit list/show/verify/report/export --store} against a real PostgreSQL 15 ({@link
 * PostgresServer}): runs made by {@code runbook --store URL run} in child JVMs with a signing key
 * (their trails reach the database line by line), then read back through the store; rows tampered
 * with over JDBC (a line's bytes, the last line and the head deleted, a head swapped, an output
 * changed, a file name leading out of the run) make {@code audit verify} exit 8 with the reason; an
 * export verifies with {@code --state-dir}.
 *
 * <p>Each test tampers with runs of its own, so the order of the tests does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditStoreIT {

  /** One directory for the class: the runs are made once, in {@link #runsInTheStore}. */
  private Path tmp;

  private PostgresServer pg;
  private Path runbooks;
  private Path pub;
  private final List<String> runs = new ArrayList<>();
  private int next;

  @BeforeAll
  void runsInTheStore(@TempDir Path dir) throws Exception {
    tmp = dir;
    assumeTrue(PostgresServer.installed(), "PostgreSQL 15 (Debian's postgresql) is not installed");
    pg = PostgresServer.start();
    runbooks = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(
        runbooks.resolve("t.yaml"),
        """
        runbook: T
        title: two local steps
        params:
          who: {type: string, required: true}
        steps:
          - id: greet
            shell: echo "hello ${params.who}"
            changes: true
          - id: check
            shell: echo fine
        """);
    Cli keygen =
        CliRun.state(tmp.resolve("unused"))
            .with("audit", "keygen", "--out", keys().toString())
            .inProcess();
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    pub = keys().resolve("runbook-signing.pub");
    // Two servers' state directories, one store: each run's trail is in one of them and in the
    // database. Eight runs, so that each test has runs of its own to tamper with.
    for (int i = 0; i < 8; i++) {
      Path state = tmp.resolve("server-" + (i % 2));
      CliRun.Finished run =
          CliRun.state(state)
              .runbooks(runbooks)
              .with("--store", pg.url())
              .run("T")
              .param("who", "user" + i)
              .env("RUNBOOK_SIGNING_KEY", keys().resolve("runbook-signing.key").toString())
              .inChild(tmp);
      assertThat(run.exitCode()).as(run.terminal()).isZero();
    }
    for (int i = 0; i < 2; i++) {
      RunSummary.runs(tmp.resolve("server-" + i)).forEach(r -> runs.add(r.runId()));
    }
    runs.sort(String::compareTo);
    assertThat(runs).hasSize(8);
  }

  @AfterAll
  void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private Path keys() {
    return tmp.resolve("keys");
  }

  /** A run no other test has tampered with. */
  private synchronized String freshRun() {
    return runs.get(next++);
  }

  /** {@code runbook --store URL ARGS…} in this JVM, with a state directory that has no runs. */
  private Cli store(String... args) {
    return CliRun.state(tmp.resolve("auditor")).with("--store", pg.url()).with(args).inProcess();
  }

  private Connection db() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + pg.port() + "/runbook", "runbook", "");
  }

  private void sql(String statement, Object... values) throws SQLException {
    try (Connection c = db();
        PreparedStatement s = c.prepareStatement(statement)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      s.executeUpdate();
    }
  }

  private byte[] bytes(String query, Object... values) throws SQLException {
    try (Connection c = db();
        PreparedStatement s = c.prepareStatement(query)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).as(query).isTrue();
        return r.getBytes(1);
      }
    }
  }

  private Cli verify(String run) {
    return store("audit", "verify", run, "--key", pub.toString());
  }

  @Test
  void theStoresRunsAreListedShownReportedAndVerifiedAsTheServersWroteThem() throws Exception {
    String run = runs.get(runs.size() - 1); // no test tampers with the last run
    Cli verify = verify(run);
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out())
        .contains(run + "  ok (8 lines, signed by SHA256:")
        .contains("1 run checked in " + pg.url() + ", 0 altered; no ledger of runs in a store")
        .contains("not checked: the store keeps no ledger of runs")
        .contains("a run deleted whole from the database cannot be told");

    Cli list = store("audit", "list", "--runbook", "T", "--key", pub.toString());
    assertThat(list.out()).containsPattern(run + " +T +resolved ");
    assertThat(list.out()).contains("who=user7");

    Cli show = store("audit", "show", run.substring(0, run.length() - 2), "--key", pub.toString());
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out()).contains("Run " + run).contains("hello user7").doesNotContain("!!");
    // The temporary copy it was shown from is gone when the command ends: the store is named.
    assertThat(show.out()).contains("Store: postgresql://").doesNotContain("Directory: ");

    Cli report = store("audit", "report", run, "--format", "md", "--key", pub.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out()).contains(run).contains("hello user7");

    // Byte for byte what the server that ran it has in its state directory.
    Path local = serverCopy(run);
    assertThat(bytes("select head from trail_heads where run_id = ?", run))
        .isEqualTo(Files.readAllBytes(local.resolve("events.head")));
  }

  @Test
  void aLineEditedInTheDatabaseIsAltered() throws Exception {
    String run = freshRun();
    byte[] line = bytes("select line from trail_lines where run_id = ? and seq = 3", run);
    String edited = new String(line, StandardCharsets.UTF_8).replace("hello", "howdy");
    assertThat(edited).isNotEqualTo(new String(line, StandardCharsets.UTF_8));
    sql(
        "update trail_lines set line = ? where run_id = ? and seq = 3",
        edited.getBytes(StandardCharsets.UTF_8),
        run);

    Cli verify = verify(run);

    assertThat(verify.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(verify.out()).contains(run + "  ALTERED: line 3 was edited");
    Cli list = store("audit", "list", "--key", pub.toString());
    assertThat(list.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(list.out()).containsPattern(run + " +T +ALTERED ");
    Cli show = store("audit", "show", run);
    assertThat(show.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(show.out()).startsWith("!".repeat(72) + "\n!! ALTERED: line 3 was edited");
  }

  @Test
  void theLastLineDeletedWithTheHeadIsAltered() throws Exception {
    String run = freshRun();
    sql("delete from trail_lines where run_id = ? and seq = 8", run);
    sql("delete from trail_heads where run_id = ?", run);

    Cli verify = verify(run);

    assertThat(verify.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(verify.out()).contains(run + "  ALTERED: ").contains("events.head");
  }

  @Test
  void theLastLineDeletedAloneIsAltered() throws Exception {
    String run = freshRun();
    sql("delete from trail_lines where run_id = ? and seq = 8", run);

    Cli verify = verify(run);

    assertThat(verify.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(verify.out()).contains(run + "  ALTERED: ").contains("cut off");
  }

  @Test
  void anotherRunsHeadPutInPlaceOfARunsHeadIsAltered() throws Exception {
    String run = freshRun();
    String other = freshRun();
    sql(
        "update trail_heads set head = (select head from trail_heads where run_id = ?)"
            + " where run_id = ?",
        other,
        run);

    Cli verify = verify(run);

    assertThat(verify.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(verify.out()).contains(run + "  ALTERED: ");
    assertThat(verify(other).exitCode()).isZero();
  }

  @Test
  void anOutputChangedOrAFileLeadingOutOfTheRunIsAlteredAndNothingIsWrittenOutside()
      throws Exception {
    String run = freshRun();
    sql(
        "update trail_files set content = ? where run_id = ? and name = 'outputs/greet@1.log'",
        "out| hello nobody\n".getBytes(StandardCharsets.UTF_8),
        run);
    Path outside = tmp.resolve("planted-by-the-store");
    sql(
        "insert into trail_files (run_id, name, content) values (?, ?, ?)",
        run,
        "../../../../../../../.." + outside,
        "x".getBytes(StandardCharsets.UTF_8));

    Cli verify = verify(run);

    assertThat(verify.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(verify.out())
        .contains(run + "  ALTERED: ")
        .contains("greet@1.log")
        .contains("which is not outputs/NAME: it was not written by the engine");
    assertThat(outside).doesNotExist();
    Cli export = store("audit", "export", run, "--to", tmp.resolve("bad-export").toString());
    assertThat(export.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(outside).doesNotExist();
  }

  @Test
  void anExportOfTheStoreVerifiesWithStateDir() throws IOException {
    Path export = tmp.resolve("export");
    String run = runs.get(runs.size() - 1);
    String other = runs.get(runs.size() - 2);

    Cli exported = store("audit", "export", run, other, "--to", export.toString());

    assertThat(exported.exitCode()).as(exported.err()).isZero();
    assertThat(exported.out())
        .contains("2 runs (16 lines) exported from " + pg.url() + " to " + export);
    assertThat(
            Files.readAllBytes(RunDirectory.runsRoot(export).resolve(run).resolve("events.jsonl")))
        .isEqualTo(Files.readAllBytes(serverCopy(run).resolve("events.jsonl")));
    Cli verify = CliRun.state(export).with("audit", "verify", "--key", pub.toString()).inProcess();
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out())
        .contains(run + "  ok (8 lines, signed by SHA256:")
        .contains("2 runs checked, 0 altered; export.jsonl lists 2 runs, all there")
        .contains("not checked: this is an export");

    Cli again = store("audit", "export", run, "--to", export.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("is in " + export + " already: nothing was written over");
  }

  @Test
  void anUnknownRunOrAStoreThatIsDownIsOneLineExitTwo() throws Exception {
    Cli unknown = store("audit", "show", "19990101-000000-0000");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err())
        .isEqualTo(
            "runbook: no run '19990101-000000-0000' in "
                + pg.url()
                + " ('runbook audit list' shows the runs there)\n");

    Cli down =
        CliRun.state(tmp.resolve("auditor"))
            .with("--store", "postgresql://runbook@127.0.0.1:1/runbook", "audit", "verify")
            .inProcess();
    assertThat(down.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(down.err()).startsWith("runbook: ").doesNotContain("\tat ");
    assertThat(down.err().lines()).hasSize(1);
  }

  /** The run's directory on the server that ran it. */
  private Path serverCopy(String run) {
    for (int i = 0; i < 2; i++) {
      Path dir = RunDirectory.runsRoot(tmp.resolve("server-" + i)).resolve(run);
      if (Files.isDirectory(dir)) {
        return dir;
      }
    }
    throw new AssertionError("no server has run " + run);
  }
}
