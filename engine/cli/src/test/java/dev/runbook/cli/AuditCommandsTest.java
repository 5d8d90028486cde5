package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditLog;
import dev.runbook.engine.audit.Hashes;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit verify|list|show|keygen} through the CLI: exit codes 0, 8 and 9, keys, and that list
 * and show say ALTERED when what they display was tampered with.
 */
class AuditCommandsTest {

  @TempDir Path tmp;
  private Path state;
  private Path runbooks;

  @BeforeEach
  void aRunbook() throws IOException {
    state = tmp.resolve("state");
    runbooks = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(
        runbooks.resolve("t.yaml"),
        """
        runbook: T
        title: two local steps
        params:
          Hosts: {type: string, default: "node-1,node-2"}
        steps:
          - id: first
            shell: echo one
          - id: second
            shell: printf 'two \\033[2J\\n'
        """);
  }

  private Cli cli(String... args) {
    return command().with(args).inProcess();
  }

  private CliRun command() {
    return CliRun.state(state).runbooks(runbooks);
  }

  /** {@code run RUNBOOK} in a child JVM whose environment names a signing key. */
  private CliRun.Finished signedRun(String runbook) throws IOException, InterruptedException {
    return command()
        .run(runbook)
        .env("RUNBOOK_SIGNING_KEY", tmp.resolve("keys/runbook-signing.key").toString())
        .inChild(tmp);
  }

  private RunDirectory runOnce() throws IOException {
    Cli run = cli("run", "T");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    List<RunDirectory> runs = RunSummary.runs(state);
    return runs.get(runs.size() - 1);
  }

  @Test
  void aReportFileIsReadableByItsUserOnlyAndAnExistingOneKeepsItsPermissions() throws IOException {
    RunDirectory run = runOnce();
    Path report = tmp.resolve("run.html");
    Cli written = cli("audit", "report", run.runId(), "-o", report.toString());
    assertThat(written.exitCode()).as(written.err()).isZero();
    assertThat(Files.readString(report)).contains(run.runId());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report)))
        .isEqualTo("rw-------");

    Path shared = Files.writeString(tmp.resolve("shared.md"), "old");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r-----"));
    Cli again = cli("audit", "report", run.runId(), "--format", "md", "-o", shared.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(Files.readString(shared)).contains(run.runId()).doesNotContain("old");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)))
        .isEqualTo("rw-r-----");
  }

  @Test
  void verifyListAndShowSayOkForAnUntouchedRun() throws IOException {
    RunDirectory run = runOnce();
    Cli verify = cli("audit", "verify");
    assertThat(verify.exitCode()).isZero();
    assertThat(verify.out())
        .contains(run.runId() + "  ok (")
        .contains("1 run checked, 0 altered; ledger 2 lines ok");
    Cli list = cli("audit", "list");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).containsPattern(run.runId() + " +T +resolved");
    Cli show = cli("audit", "show", run.runId());
    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).doesNotContain("ALTERED").doesNotContain("\u001b");
    assertThat(show.out()).contains("two \\x1b[2J");
  }

  @Test
  void listAndShowSayAlteredAndExit8WhenTheTrailWasEdited() throws IOException {
    RunDirectory run = runOnce();
    Files.writeString(run.events(), Files.readString(run.events()).replace("echo one", "echo 0ne"));
    Cli list = cli("audit", "list");
    assertThat(list.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(list.out()).containsPattern(run.runId() + " +T +ALTERED");
    assertThat(list.err()).contains(run.runId() + "  ALTERED: line ");
    Cli show = cli("audit", "show", run.runId());
    assertThat(show.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(show.out())
        .startsWith("!".repeat(72) + "\n!! ALTERED: line ")
        .contains("!! This trail is not what the engine wrote: do not rely on what it shows.");
  }

  @Test
  void aLastLineTornByAPowerLossExits9AndSaysTorn() throws IOException {
    // A run whose last line, not yet synced, was half on disk when the power went.
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, null)) {
      log.append(
          new AuditEvent.RunStarted(
              run.runId(),
              "T",
              "two local steps",
              List.of(),
              "t.yaml",
              "ab",
              Map.of(),
              null,
              "alice",
              "ops-1",
              "test"));
      log.append(new AuditEvent.CommandRendered("first@1", "local", "echo one", false));
    }
    byte[] trail = Files.readAllBytes(run.events());
    Files.write(run.events(), Arrays.copyOf(trail, trail.length - 25));
    Cli verify = cli("audit", "verify");
    assertThat(verify.exitCode()).as(verify.out()).isEqualTo(ExitCodes.AUDIT_TORN);
    assertThat(verify.out())
        .contains(run.runId() + "  TORN: line ")
        .contains("is cut off (the writer stopped mid-line: a crash or power loss")
        .contains("1 run checked, 0 altered, 1 torn");
  }

  @Test
  void badRunIdsAndAMissingStateDirectoryAreUsageErrors() throws IOException {
    assertThat(cli("audit", "verify").err())
        .contains("no state directory at " + state + ": there is nothing to verify");
    assertThat(cli("audit", "verify").exitCode()).isEqualTo(ExitCodes.USAGE);
    runOnce();
    Cli empty = cli("audit", "show", "");
    assertThat(empty.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).contains("'' is not a run id");
    assertThat(cli("audit", "show", "..").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void listTellsARunningRunFromAStoppedOne() throws Exception {
    // A run that has started and not ended, written as the engine writes it.
    RunDirectory open = RunDirectory.create(state, Clock.systemUTC());
    RunDirectory run = open;
    try (AuditLog log = AuditLog.open(open, Clock.systemUTC(), true, null)) {
      log.append(
          new AuditEvent.RunStarted(
              open.runId(),
              "T",
              "two local steps",
              List.of(),
              "t.yaml",
              "ab",
              Map.of(),
              null,
              "alice",
              "ops-1",
              "test"));
    }
    try (RunLockHolder held = RunLockHolder.hold(open)) {
      assertThat(cli("audit", "list").out()).containsPattern(run.runId() + " +T +running ");
    }
    Path ready = tmp.resolve("ready");
    try (ChildJvm holder =
        ChildJvm.start(
            RunLockHolder.class, tmp, List.of(run.path().toString(), ready.toString()))) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (!Files.exists(ready)) {
        assertThat(Instant.now()).as("the child locked within 60 s").isBefore(deadline);
        Thread.sleep(50);
      }
      assertThat(cli("audit", "list").out())
          .as("held by another process")
          .containsPattern(run.runId() + " +T +running ");
      holder.kill();
    }
    assertThat(cli("audit", "list").out())
        .containsPattern(run.runId() + " +T +stopped \\(crashed or killed\\)");
  }

  @Test
  void listFindsARunByAnItemOfAHostListParameter() throws IOException {
    runOnce();
    assertThat(cli("audit", "list", "--host", "NODE-2.").out()).contains(" T ");
    assertThat(cli("audit", "list", "--host", "node-3").err()).contains("no runs match");
    assertThat(HostMatch.ranOn("omm@10.0.0.5:22 (mrs-node-1)", "mrs-node-1")).isTrue();
    assertThat(HostMatch.ranOn("omm@10.0.0.5:22 (mrs-node-1)", "10.0.0.5")).isTrue();
    assertThat(HostMatch.ranOn("omm@10.0.0.5:22 (mrs-node-1)", "10.0.0.51")).isFalse();
  }

  @Test
  void keygenWritesAPrivateKeyOnlyItsOwnerCanRead() throws IOException {
    Cli keygen = cli("audit", "keygen", "--out", tmp.resolve("keys").toString());
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    Path key = tmp.resolve("keys/runbook-signing.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(tmp.resolve("keys/runbook-signing.pub")))
        .contains("-----BEGIN PUBLIC KEY-----")
        .doesNotContain("PRIVATE");
    assertThat(cli("audit", "keygen", "--out", tmp.resolve("keys").toString()).err())
        .contains("exists already; keys are never overwritten");
    Cli inside = cli("audit", "keygen", "--out", state.resolve("keys").toString());
    assertThat(inside.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(inside.err()).contains("is inside the state directory");
  }

  @Test
  void aRunSignedThroughTheEnvironmentVerifiesWithItsKeyAndNotWithAnother() throws Exception {
    assertThat(cli("audit", "keygen", "--out", tmp.resolve("keys").toString()).exitCode()).isZero();
    assertThat(
            cli("audit", "keygen", "--out", tmp.resolve("keys").toString(), "--name", "other")
                .exitCode())
        .isZero();
    CliRun.Finished signed = signedRun("T");
    assertThat(signed.exitCode()).as(signed.stderr()).isZero();
    String pub = tmp.resolve("keys/runbook-signing.pub").toString();
    Cli verify = cli("audit", "verify", "--key", pub);
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("ok (", "signed by SHA256:");
    Cli other = cli("audit", "verify", "--key", tmp.resolve("keys/other.pub").toString());
    assertThat(other.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(other.out()).contains("which is not a trusted key");

    runOnce(); // in-process: no RUNBOOK_SIGNING_KEY, so unsigned
    Cli unsigned = cli("audit", "verify", "--key", pub);
    assertThat(unsigned.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(unsigned.out()).contains("UNSIGNED: events.head carries no signature");
    assertThat(cli("audit", "verify", "--key", pub, "--allow-unsigned").exitCode()).isZero();

    // the same keys given by the environment, as a service would: a colon list, empty parts skipped
    String otherPub = tmp.resolve("keys/other.pub").toString();
    CliRun.Finished byEnvironment =
        command()
            .with("audit", "verify", "--allow-unsigned")
            .env("RUNBOOK_TRUSTED_KEYS", otherPub + "::" + pub)
            .inChild(tmp);
    assertThat(byEnvironment.exitCode()).as(byEnvironment.stdout()).isZero();
    assertThat(byEnvironment.stdout()).contains("signed by SHA256:");
    CliRun.Finished untrusted =
        command()
            .with("audit", "verify", "--allow-unsigned")
            .env("RUNBOOK_TRUSTED_KEYS", otherPub)
            .inChild(tmp);
    assertThat(untrusted.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(untrusted.stdout()).contains("which is not a trusted key");
  }

  @Test
  void aDecisionsRecordedOutputRewrittenWithChainAndHeadRecomputedFailsWithTheKey()
      throws Exception {
    Files.writeString(
        runbooks.resolve("d.yaml"),
        """
        runbook: D
        title: decide on a certificate's days left
        steps:
          - id: read-cert
            shell: echo 9
          - id: still-valid
            if: int(steps['read-cert'].stdout.trim()) > 30
            yes: {end: resolved, message: still valid}
            no: {end: escalated, message: renew it}
        """);
    assertThat(cli("audit", "keygen", "--out", tmp.resolve("keys").toString()).exitCode()).isZero();
    CliRun.Finished signed = signedRun("D");
    assertThat(signed.exitCode()).as(signed.stderr()).isEqualTo(ExitCodes.ESCALATED);
    RunDirectory dir = RunSummary.runs(state).get(0);
    // The forger makes the recorded output say 90 days, and recomputes every prev and the head.
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.events()));
    boolean edited = false;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"type\":\"decision\"")) {
        lines.set(i, lines.get(i).replace("=9", "=90").replace(":\"9\"", ":\"90\""));
        edited = true;
      }
    }
    assertThat(edited).isTrue();
    String previous = "0".repeat(64);
    StringBuilder trail = new StringBuilder();
    for (String line : lines) {
      String chained =
          line.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + previous + "\"");
      previous = Hashes.sha256(chained.getBytes(StandardCharsets.UTF_8));
      trail.append(chained).append('\n');
    }
    Files.writeString(dir.events(), trail.toString());
    String head = Files.readString(dir.head());
    String oldHash = head.replaceFirst("(?s).*?\"hash\":\"([0-9a-f]{64})\".*", "$1");
    Files.writeString(dir.head(), head.replace(oldHash, previous));
    // ... and the ledger's record of the run's last line, with the ledger's chain recomputed.
    Path ledger = state.resolve("ledger.jsonl");
    String ledgerPrevious = "0".repeat(64);
    StringBuilder rechained = new StringBuilder();
    for (String line : Files.readAllLines(ledger)) {
      String forged =
          line.replace(oldHash, previous)
              .replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + ledgerPrevious + "\"");
      ledgerPrevious = Hashes.sha256(forged.getBytes(StandardCharsets.UTF_8));
      rechained.append(forged).append('\n');
    }
    Files.writeString(ledger, rechained.toString());
    String decision =
        Files.readAllLines(dir.events()).stream()
            .filter(l -> l.contains("\"type\":\"decision\""))
            .findFirst()
            .orElseThrow();
    assertThat(decision).contains("90");

    assertThat(cli("audit", "verify", dir.runId()).exitCode())
        .as("without a key the recomputed chain holds")
        .isZero();
    Cli verify =
        cli(
            "audit",
            "verify",
            dir.runId(),
            "--key",
            tmp.resolve("keys/runbook-signing.pub").toString());
    assertThat(verify.exitCode()).isEqualTo(ExitCodes.AUDIT_BROKEN);
    assertThat(verify.out())
        .contains(dir.runId() + "  ALTERED: ")
        .contains(
            "the signature in events.head does not verify: the head was rewritten (without the"
                + " key)")
        .contains("ledger  ALTERED: ledger.jsonl line 2 was edited: its signature does not verify");
  }
}
