package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A complete trail, not only an unedited one: each way of making a run or its end disappear, or of
 * making another run stand in for it, is found. Each attack was verified "ok" before the head was
 * required, the trail sealed, the run id bound to its directory, the index checked against the
 * trails and the ledger of runs kept.
 */
class CompletenessAttackTest {

  @TempDir Path state;

  private AuditVerifier.StateReport verifyAll(TrustedKeys keys) throws IOException {
    return AuditVerifier.verifyState(
        state, RunSummary.runs(state), true, new AuditVerifier.Options(keys));
  }

  private AuditVerifier.Report only(RunDirectory run) throws IOException {
    return verifyAll(null).runs().stream()
        .filter(r -> r.runId().equals(run.runId()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aHeadReplacedByAnEmptyObjectIsAltered() throws IOException {
    RunDirectory run = Trails.resolved(state, null);
    Files.writeString(run.head(), "{}");
    assertThat(only(run).problems())
        .containsExactly("events.head records no line ({}): it was edited");
  }

  @Test
  void aTrailDeletedTogetherWithItsHeadIsAltered() throws IOException {
    RunDirectory run = Trails.resolved(state, null);
    Files.delete(run.events());
    Files.delete(run.head());
    AuditVerifier.Report report = only(run);
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.ALTERED);
    assertThat(report.problems())
        .containsExactly(
            "no trail: events.jsonl and events.head are missing or empty (deleted, or the run was"
                + " stopped before it wrote its first line)",
            "the ledger records line 10 of this run (ledger line 2, finished) but the trail ends at"
                + " line 0: the end was cut off");
  }

  @Test
  void theUnsyncedTailOfAKilledRunCutOffIsAltered() throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    // The process is killed: the log is never closed. Only run.started was synced.
    AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, null);
    log.append(Trails.started(run));
    for (int i = 0; i < 200; i++) {
      log.append(new AuditEvent.WaitProgress("poll@1", i * 1000L, 600_000, i + 1));
    }
    List<String> lines = Forger.lines(run);
    Files.writeString(run.events(), lines.get(0) + "\n" + lines.get(1) + "\n");
    assertThat(only(run).problems())
        .containsExactly(
            "the trail ends at line 2 but its head records line 201: the end was cut off (line 1"
                + " was the last one synced to disk; a power loss while the run went on loses the"
                + " lines after it the same way)");
    log.close();
  }

  @Test
  void aChainedLineAppendedAfterRunFinishedIsAltered() throws IOException {
    RunDirectory run = Trails.resolved(state, null);
    List<String> lines = Forger.lines(run);
    lines.add(lines.get(7).replace("sh proceed_ha_ssl_cert.sh", "rm -rf /var/log/flink"));
    Forger.rewriteAndRechain(run, lines);
    assertThat(only(run).problems())
        .containsExactly(
            "line 11 follows run.finished (line 10), which closes the trail: it was appended");
  }

  @Test
  void aRetryAppendedAfterAResolvedRunIsAltered() throws IOException {
    // Only a run that ended failed may be followed by run.resumed with retry (resume
    // --retry-failed); the same line after a resolved end is an append.
    RunDirectory run = Trails.resolved(state, null);
    List<String> lines = Forger.lines(run);
    String fields = lines.get(9).substring(0, lines.get(9).indexOf("\"type\""));
    lines.add(
        fields
            + "\"type\":\"run.resumed\",\"operator\":\"mallory\",\"machine\":\"m\","
            + "\"engineVersion\":\"1\",\"inDoubt\":[],\"retry\":\"check@1\"}");
    Forger.rewriteAndRechain(run, lines);
    assertThat(only(run).problems())
        .containsExactly(
            "line 11 follows run.finished (line 10), which closes the trail: it was appended");
  }

  @Test
  void aDeletedRunDirectoryIsNamedFromTheLedger() throws IOException {
    RunDirectory kept = Trails.resolved(state, null);
    RunDirectory deleted = Trails.resolved(state, null);
    deleteTree(deleted.path());
    AuditVerifier.StateReport report = verifyAll(null);
    assertThat(report.runs()).extracting(AuditVerifier.Report::runId).containsExactly(kept.runId());
    assertThat(report.runs().get(0).ok()).isTrue();
    assertThat(report.problems())
        .containsExactly(
            "run "
                + deleted.runId()
                + " is in the ledger (line 3, finished) but its directory is gone: it was deleted");
  }

  @Test
  void theLedgerDeletedTooIsNamed() throws IOException {
    Trails.resolved(state, null);
    RunDirectory deleted = Trails.resolved(state, null);
    deleteTree(deleted.path());
    Files.delete(Ledger.file(state));
    assertThat(verifyAll(null).problems())
        .containsExactly(
            "ledger.jsonl is missing, but runs here were written by an engine that keeps it: it was"
                + " deleted (runs deleted with it cannot be told)");
  }

  @Test
  void twoRunDirectoriesSwappedAreBothAltered() throws IOException {
    RunDirectory a = Trails.resolved(state, null);
    RunDirectory b = Trails.paused(state, null);
    Path swap = state.resolve("swap");
    Files.move(a.path(), swap);
    Files.move(b.path(), a.path());
    Files.move(swap, b.path());
    assertThat(only(a).problems())
        .startsWith(
            "this trail is run "
                + b.runId()
                + "'s, in the directory of run "
                + a.runId()
                + ": run directories were renamed or swapped");
    assertThat(only(b).verdict()).isEqualTo(AuditVerifier.Verdict.ALTERED);
  }

  @Test
  void anIndexEntryEditedWithItsChecksumRecomputedIsAltered() throws IOException {
    RunDirectory run = Trails.paused(state, null);
    RunIndex.Entry entry = RunIndex.read(state).get(run.runId());
    RunSummary s = entry.summary();
    RunSummary forged =
        new RunSummary(
            s.runId(),
            s.runbook(),
            s.title(),
            s.alarms(),
            s.operator(),
            s.machine(),
            s.params(),
            s.started(),
            s.ended(),
            "resolved",
            "No further action is required.");
    // A whole line with a correct CRC: the forger used the index's own format.
    RunIndex.append(
        RunIndex.file(state),
        new RunIndex.Entry(
            forged, entry.trailBytes(), entry.trailModified(), entry.lines(), entry.lastHash()));
    assertThat(RunSummary.all(state)).extracting(RunSummary::status).containsExactly("resolved");
    assertThat(only(run).problems())
        .containsExactly(
            "run-index.tsv says this run is 'resolved' but its trail says 'paused': the index was"
                + " edited");
  }

  @Test
  void aForgedPausedTrailIsRefusedForResumeWhenKeysAreGiven(@TempDir Path keys) throws IOException {
    SigningKey key = Trails.newKey(keys, "engine");
    RunDirectory run = Trails.paused(state, key);
    // "no" becomes "yes": on resume the renewal would run without anyone having agreed to it.
    Forger.editAndRechain(run, 2, line -> line.replace("\"answer\":\"no\"", "\"answer\":\"yes\""));
    assertThat(AuditVerifier.checkForResume(run, null).refusal())
        .as("the unkeyed chain cannot tell")
        .isNull();
    AuditVerifier.ResumeCheck check = AuditVerifier.checkForResume(run, Trails.trust(key));
    assertThat(check.refusal())
        .isEqualTo(
            "the trail of run "
                + run.runId()
                + " does not verify (line 6 is not the line that was signed: the trail was"
                + " rewritten and its chain recomputed); it will not be resumed");
  }

  @Test
  void resumeKeepsOnlyTheSignedLinesOfAKilledRun(@TempDir Path keys) throws IOException {
    SigningKey key = Trails.newKey(keys, "engine");
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    AuditLog killed = AuditLog.open(run, Clock.systemUTC(), true, key);
    killed.append(Trails.started(run)); // synced and signed
    killed.append(new AuditEvent.CommandRendered("s@1", "local", "echo x", false));
    // Killed before the signer thread ran: the head covers line 2, the signature line 1.
    String head = Files.readString(run.head());
    if (head.contains("\"signedSeq\":2")) {
      Files.writeString(run.head(), head); // the signer was quicker: nothing to drop then
    }
    AuditVerifier.ResumeCheck check = AuditVerifier.checkForResume(run, Trails.trust(key));
    assertThat(check.refusal()).isNull();
    long trusted = check.trustedLines();
    assertThat(trusted).isBetween(1L, 2L);
    try (AuditLog resumed = AuditLog.open(run, Clock.systemUTC(), true, key, trusted)) {
      resumed.append(new AuditEvent.Resumed("bob", "ops-2", "test", List.of(), null));
    }
    assertThat(Forger.lines(run)).hasSize((int) trusted + 1);
    assertThat(AuditVerifier.checkForResume(run, Trails.trust(key)).report().ok()).isTrue();
    killed.close();
  }

  @Test
  void aTornLastLineIsTornNotAltered() throws IOException {
    RunDirectory run = Trails.paused(state, null);
    Files.writeString(run.events(), Files.readString(run.events()) + "{\"seq\":7,\"time\":\"20");
    AuditVerifier.Report report = only(run);
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.TORN);
    assertThat(report.problems()).isEmpty();
  }

  @Test
  void aFifoPlantedAsTheTrailDoesNotHangVerifyOrList() throws Exception {
    RunDirectory run = Trails.resolved(state, null);
    Files.delete(run.events());
    Process mkfifo = new ProcessBuilder("mkfifo", run.events().toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          assertThat(only(run).problems())
              .contains(
                  "events.jsonl is a FIFO, socket or device, not a regular file: it was planted there");
          assertThat(RunSummary.all(state)).hasSize(1);
          assertThat(AuditVerifier.verify(run).verdict()).isEqualTo(AuditVerifier.Verdict.ALTERED);
        });
  }

  @Test
  void aRunIdThatIsNoIdIsRefused() {
    for (String bad : List.of("", ".", "..", "../x", "a/b", " ", "-x")) {
      Assertions.assertThatThrownBy(() -> RunDirectory.find(state, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a run id");
    }
  }

  @Test
  void aRunHeldByAProcessIsRunningAndOneNobodyHoldsIsStopped() throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, null)) {
      log.append(Trails.started(run));
    }
    assertThat(RunSummary.of(run).status()).isEqualTo("stopped");
    try (var channel =
            PrivateFiles.open(run.runLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        var lock = channel.lock()) {
      assertThat(RunActivity.isRunning(run)).isTrue();
      assertThat(RunSummary.of(run).status()).isEqualTo("running");
      assertThat(RunSummary.quick(run).status()).isEqualTo("running");
    }
    assertThat(RunActivity.isRunning(run)).isFalse();
    assertThat(Map.of("s", RunSummary.quick(run).status())).containsEntry("s", "stopped");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
