package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory checked as a whole: the run index against the trails, the ledger's first word
 * on a run, a run directory with no trail, and a ledger read without keys.
 */
class StateCheckTest {

  @TempDir Path state;

  private AuditVerifier.StateReport verifyAll(TrustedKeys keys) throws IOException {
    return AuditVerifier.verifyState(
        state, RunSummary.runs(state), true, new AuditVerifier.Options(keys));
  }

  @Test
  void anIndexEntryWhoseParametersAloneWereEditedIsAltered() throws IOException {
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
            Map.of("HostName", "mrs-node-2"),
            s.started(),
            s.ended(),
            s.status(),
            s.message());
    RunIndex.append(
        RunIndex.file(state),
        new RunIndex.Entry(
            forged, entry.trailBytes(), entry.trailModified(), entry.lines(), entry.lastHash()));
    assertThat(verifyAll(null).runs().get(0).problems())
        .containsExactly(
            "run-index.tsv says this run is 'paused' with other details but its trail says"
                + " 'paused': the index was edited");
  }

  @Test
  void withoutKeysAnUnsignedLedgerIsNotReportedUnsigned() throws IOException {
    Trails.resolved(state, null);
    AuditVerifier.StateReport report = verifyAll(null);
    assertThat(report.unsigned()).isEmpty();
    assertThat(report.ledgerLines()).isEqualTo(2);
    assertThat(report.ledgerExists()).isTrue();
    assertThat(report.ledgerHead())
        .isEqualTo(Ledger.read(state).entries().get(1).lineHash())
        .hasSize(64);

    SigningKey key = Trails.newKey(state.resolveSibling(state.getFileName() + "-keys"), "k");
    assertThat(verifyAll(Trails.trust(key)).unsigned())
        .containsExactly("ledger.jsonl: 2 lines are not signed (first: line 1)");
  }

  @Test
  void aLedgerWhoseFirstLineForARunWasEditedNamesThatLine() throws IOException {
    RunDirectory run = Trails.resolved(state, null);
    Path ledger = Ledger.file(state);
    List<String> lines = Files.readAllLines(ledger);
    // the run's "started" line now records another line 1: its "finished" line still matches
    lines.set(
        0,
        lines
            .get(0)
            .replaceFirst("\"hash\":\"[0-9a-f]{64}\"", "\"hash\":\"" + "0".repeat(64) + "\""));
    Files.writeString(ledger, String.join("\n", lines) + "\n");
    AuditVerifier.StateReport report = verifyAll(null);
    assertThat(report.problems())
        .containsExactly("ledger.jsonl line 1 was edited or removed (line 2 does not chain to it)");
    assertThat(report.runs().get(0).runId()).isEqualTo(run.runId());
    assertThat(report.runs().get(0).problems())
        .containsExactly(
            "line 1 is not the line the ledger records (ledger line 1, started): the trail was"
                + " rewritten");
  }

  @Test
  void aRunDirectoryWithoutATrailIsOneProblemNotTwo() throws IOException {
    Trails.resolved(state, null);
    // made after the ledger's first run, and never written to: the run stopped before line 1
    RunDirectory empty =
        RunDirectory.create(state, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
    AuditVerifier.Report report =
        verifyAll(null).runs().stream()
            .filter(r -> r.runId().equals(empty.runId()))
            .findFirst()
            .orElseThrow();
    assertThat(report.problems())
        .containsExactly(
            "no trail: events.jsonl and events.head are missing or empty (deleted, or the run"
                + " was stopped before it wrote its first line)");
  }
}
