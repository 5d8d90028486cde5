package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of tampering with a trail is caught, and the first altered line is named. */
class AuditVerifierTest {

  @TempDir Path state;
  private RunDirectory run;
  private List<String> lines;

  @BeforeEach
  void writeATrail() throws IOException {
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC);
    run = RunDirectory.create(state, clock);
    byte[] output = "out| certificate renewed\n".getBytes(StandardCharsets.UTF_8);
    Files.write(run.outputs().resolve("renew@1.log"), output);
    try (AuditLog log = AuditLog.open(run, clock, true)) {
      log.append(
          new AuditEvent.RunStarted(
              run.runId(),
              "ALM-1",
              "t",
              List.of("ALM-1"),
              "f.yaml",
              "ab".repeat(32),
              Map.of("HostName", "node-1"),
              null,
              "alice",
              "ops-1",
              "test"));
      log.append(
          new AuditEvent.StepStarted("renew@1", "renew", "6", null, "action", 1, "local", false));
      log.append(
          new AuditEvent.CommandRendered("renew@1", "local", "sh proceed_ha_ssl_cert.sh", true));
      log.append(
          new AuditEvent.StepFinished(
              "renew@1",
              AuditEvent.StepStatus.SUCCEEDED,
              null,
              0L,
              12,
              null,
              null,
              Map.of("exitCode", 0),
              new AuditEvent.OutputRecord(
                  "outputs/renew@1.log",
                  output.length,
                  Hashes.sha256(output),
                  "out| certificate renewed"),
              "local"));
      log.append(
          new AuditEvent.StepStarted("cleared@1", "cleared", "7", null, "decision", 1, null, null));
      log.append(
          new AuditEvent.Decision(
              "cleared@1", "result.daysLeft > 30", Map.of("result.daysLeft", 365), true, "done"));
      log.append(
          new AuditEvent.StepFinished(
              "cleared@1",
              AuditEvent.StepStatus.SUCCEEDED,
              true,
              null,
              1,
              null,
              null,
              null,
              null,
              null));
      log.append(new AuditEvent.RunFinished(Outcome.RESOLVED, null, 20));
    }
    lines = new ArrayList<>(Files.readAllLines(run.events()));
    assertThat(lines).hasSize(8);
  }

  private void rewrite(List<String> newLines) throws IOException {
    Files.writeString(run.events(), String.join("\n", newLines) + "\n");
  }

  private List<String> problems() throws IOException {
    return AuditVerifier.verify(run).problems();
  }

  @Test
  void anUntouchedTrailVerifies() throws IOException {
    AuditVerifier.Report report = AuditVerifier.verify(run);
    assertThat(report.problems()).isEmpty();
    assertThat(report.lines()).isEqualTo(8);
    assertThat(lines.get(0))
        .startsWith(
            "{\"seq\":1,\"time\":\"2026-11-22T03:00:00Z\",\"prev\":\""
                + AuditLog.GENESIS
                + "\",\"type\":\"run.started\"");
  }

  @Test
  void anEditedLineIsNamed() throws IOException {
    lines.set(2, lines.get(2).replace("sh proceed_ha_ssl_cert.sh", "true"));
    rewrite(lines);
    assertThat(problems()).containsExactly("line 3 was edited (line 4 does not chain to it)");
  }

  @Test
  void anEditedFirstLineIsNamed() throws IOException {
    lines.set(0, lines.get(0).replace("alice", "mallory"));
    rewrite(lines);
    assertThat(problems()).containsExactly("line 1 was edited (line 2 does not chain to it)");
  }

  @Test
  void anEditedLastLineIsCaughtByTheHead() throws IOException {
    lines.set(7, lines.get(7).replace("resolved", "escalated"));
    rewrite(lines);
    assertThat(problems())
        .containsExactly("line 8 was edited (it does not match the hash in events.head)");
  }

  @Test
  void aRemovedLineIsNamed() throws IOException {
    lines.remove(3);
    rewrite(lines);
    assertThat(problems())
        .first()
        .isEqualTo("line 4 has seq 5 where 4 was expected: line 4 was removed");
  }

  @Test
  void reorderedLinesAreNamed() throws IOException {
    String third = lines.get(2);
    lines.set(2, lines.get(3));
    lines.set(3, third);
    rewrite(lines);
    assertThat(problems())
        .first()
        .isEqualTo("line 3 has seq 4 where 3 was expected: lines were reordered");
  }

  @Test
  void aTrailCutOffAtTheEndIsCaught() throws IOException {
    rewrite(lines.subList(0, 6));
    assertThat(problems())
        .containsExactly(
            "the trail ends at line 6 but its head records line 8: the end was cut off");
  }

  @Test
  void aHalfWrittenLineThatWasNotSyncedIsTornNotAltered() throws IOException {
    RunDirectory killed = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(killed, Clock.systemUTC(), true, null)) {
      log.append(Trails.started(killed));
      log.append(new AuditEvent.CommandRendered("s@1", "local", "echo x", false));
    }
    String trail = Files.readString(killed.events());
    Files.writeString(killed.events(), trail.substring(0, trail.length() - 20));
    AuditVerifier.Report report = AuditVerifier.verify(killed);
    assertThat(report.problems()).isEmpty();
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.TORN);
    assertThat(report.torn())
        .containsExactly(
            "line 2 is cut off (the writer stopped mid-line: a crash or power loss while it was"
                + " written; what it said is lost)");
  }

  @Test
  void aHalfWrittenLineThatWasSyncedIsAltered() throws IOException {
    String content = String.join("\n", lines.subList(0, 7)) + "\n" + lines.get(7).substring(0, 20);
    Files.writeString(run.events(), content);
    assertThat(problems())
        .containsExactly(
            "the trail ends at line 7 but its head records line 8: the end was cut off");
  }

  @Test
  void aTrailCutTwoLinesShortOfItsHeadWithATornLineIsAltered() throws IOException {
    String content = String.join("\n", lines.subList(0, 6)) + "\n" + lines.get(6).substring(0, 20);
    Files.writeString(run.events(), content);
    assertThat(problems())
        .containsExactly(
            "the trail ends at line 6 but its head records line 8: the end was cut off");
  }

  @Test
  void aLineThatIsNoLongerJsonIsNamed() throws IOException {
    lines.set(4, "{\"seq\":5, oops");
    rewrite(lines);
    assertThat(problems()).first().isEqualTo("line 5 is not a valid event: it was edited");
  }

  @Test
  void anAlteredOutputFileIsCaught() throws IOException {
    Files.writeString(run.outputs().resolve("renew@1.log"), "out| nothing happened\n");
    assertThat(problems())
        .containsExactly("outputs/renew@1.log (output of line 4) was altered: its hash differs");
  }

  @Test
  void aDeletedOutputFileIsCaught() throws IOException {
    Files.delete(run.outputs().resolve("renew@1.log"));
    assertThat(problems()).containsExactly("outputs/renew@1.log (output of line 4) is missing");
  }

  /** Rewrites the trail with every prev and the head recomputed, as a careful forger would. */
  private void rewriteChained(List<String> newLines) throws IOException {
    StringBuilder out = new StringBuilder();
    String prev = AuditLog.GENESIS;
    for (String line : newLines) {
      String chained = line.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + prev + "\"");
      out.append(chained).append('\n');
      prev = Hashes.sha256(chained.getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(run.events(), out);
    Files.writeString(run.head(), "{\"seq\":" + newLines.size() + ",\"hash\":\"" + prev + "\"}\n");
  }

  @Test
  void aLineWhoseStartIsIntactButWhoseRestIsNotJsonIsCaughtByTheChain() throws IOException {
    String line = lines.get(4);
    lines.set(4, line.substring(0, line.indexOf("\"step\"")) + "oops}");
    rewrite(lines);
    assertThat(problems()).containsExactly("line 5 was edited (line 6 does not chain to it)");
  }

  @Test
  void aLineWrittenInAnotherKeyOrderIsParsedInFullAndVerifies() throws IOException {
    // {"time":…,"seq":3,"prev":…}: not how AuditLog writes it, still a valid chained event.
    String line = lines.get(2);
    String seq = "\"seq\":3,";
    int time = line.indexOf("\"time\"");
    int prev = line.indexOf("\"prev\"");
    lines.set(2, "{" + line.substring(time, prev) + seq + line.substring(prev));
    assertThat(lines.get(2)).startsWith("{\"time\"");
    rewriteChained(lines);
    assertThat(problems()).isEmpty();
  }

  @Test
  void aChainedLineOfAnUnknownTypeIsNotAValidEvent() throws IOException {
    lines.set(2, lines.get(2).replace("\"type\":\"command\"", "\"type\":\"shell\""));
    rewriteChained(lines);
    assertThat(problems()).containsExactly("line 3 is not a valid event: it was edited");
  }

  @Test
  void aChainedLineThatNamesAnOutputOutsideTheRunIsCaught() throws IOException {
    lines.set(3, lines.get(3).replace("outputs/renew@1.log", "../../secret.log"));
    rewriteChained(lines);
    assertThat(problems())
        .containsExactly("line 4 points outside the run directory: it was edited");
  }

  @Test
  void verifyingManyRunsAtOnceGivesEachRunsReportInOrder() throws IOException {
    List<RunDirectory> runs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      RunDirectory other = RunDirectory.create(state, Clock.systemUTC());
      try (AuditLog log = AuditLog.open(other, Clock.systemUTC(), false)) {
        log.append(
            new AuditEvent.RunStarted(
                other.runId(), "R", "t", List.of(), "f", "ab", Map.of(), null, "a", "m", "v"));
        log.append(new AuditEvent.CommandRendered("s@1", "local", "echo " + i, false));
        log.append(new AuditEvent.RunFinished(Outcome.RESOLVED, null, 1));
      }
      runs.add(other);
    }
    lines.set(2, lines.get(2).replace("sh proceed_ha_ssl_cert.sh", "true"));
    rewrite(lines);
    runs.add(7, run);

    List<AuditVerifier.Report> reports = AuditVerifier.verifyAll(runs);
    assertThat(reports)
        .extracting(AuditVerifier.Report::runId)
        .containsExactlyElementsOf(runs.stream().map(RunDirectory::runId).toList());
    for (int i = 0; i < runs.size(); i++) {
      assertThat(reports.get(i)).isEqualTo(AuditVerifier.verify(runs.get(i)));
    }
    assertThat(reports.get(7).problems())
        .containsExactly("line 3 was edited (line 4 does not chain to it)");
    assertThat(reports).filteredOn(AuditVerifier.Report::ok).hasSize(20);
  }

  @Test
  void aMissingHeadIsNamed() throws IOException {
    Files.delete(run.head());
    assertThat(problems())
        .containsExactly("events.head is missing: cannot tell whether lines were cut off the end");
  }

  /** What a kill between opening the trail and its first head write leaves: as good as none. */
  @Test
  void anEmptyHeadIsTakenAsMissing() throws IOException {
    Files.write(run.head(), new byte[0]);
    assertThat(problems())
        .containsExactly("events.head is missing: cannot tell whether lines were cut off the end");
  }

  @Test
  void aHeadThatIsNoLongerJsonIsNamed() throws IOException {
    Files.writeString(run.head(), "{\"seq\":8,\"hash\":");
    assertThat(problems()).containsExactly("events.head is not readable: it was edited");
  }

  /**
   * Heads in the writer's own layout whose seq is not a plain number: the fast reader must refuse
   * them as the JSON parser does (a leading zero, letters, nothing), never read a number out of
   * them.
   */
  @Test
  void aHeadInTheWritersLayoutWithABadNumberIsNotRead() throws IOException {
    String hash = Hashes.sha256(lines.get(7).getBytes(StandardCharsets.UTF_8));
    for (String seq : List.of("08", "8x", "", "+8")) {
      Files.writeString(run.head(), "{\"seq\":" + seq + ",\"hash\":\"" + hash + "\"}\n");
      assertThat(problems()).as(seq).containsExactly("events.head is not readable: it was edited");
    }
    Files.writeString(run.head(), "{\"seq\":8,\"hash\":\"" + hash + "\"}\n");
    assertThat(problems()).isEmpty();
  }

  @Test
  void aHeadInTheWritersLayoutWithAnotherHashNamesTheLastLine() throws IOException {
    String hash = Hashes.sha256(lines.get(7).getBytes(StandardCharsets.UTF_8));
    for (String other :
        List.of(hash.toUpperCase(Locale.ROOT), "g" + hash.substring(1), "0".repeat(64))) {
      Files.writeString(run.head(), "{\"seq\":8,\"hash\":\"" + other + "\"}\n");
      assertThat(problems())
          .as(other)
          .containsExactly("line 8 was edited (it does not match the hash in events.head)");
    }
    Files.writeString(run.head(), "{\"seq\":9,\"hash\":\"" + hash + "\"}\n");
    assertThat(problems())
        .containsExactly(
            "the trail ends at line 8 but its head records line 9: the end was cut off");
  }

  @Test
  void aHeadRewrittenInAnotherLayoutIsStillRead() throws IOException {
    String hash = Hashes.sha256(lines.get(7).getBytes(StandardCharsets.UTF_8));
    Files.writeString(run.head(), "{ \"hash\": \"" + hash + "\", \"seq\": 8 }");
    assertThat(problems()).isEmpty();
    Files.writeString(run.head(), "{ \"hash\": \"" + "0".repeat(64) + "\", \"seq\": 8 }");
    assertThat(problems())
        .containsExactly("line 8 was edited (it does not match the hash in events.head)");
  }

  @Test
  void appendingAfterACrashDropsTheHalfLineAndKeepsTheChain() throws IOException {
    String content = String.join("\n", lines.subList(0, 7)) + "\n" + lines.get(7).substring(0, 20);
    Files.writeString(run.events(), content);
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true)) {
      log.append(
          new AuditEvent.Resumed("bob", "ops-2", "test", List.of(), "dropped a partial last line"));
    }
    // The head still remembers line 8 of the old trail; the new line 8 replaced the partial one.
    assertThat(problems()).isEmpty();
    assertThat(AuditTrail.read(run).lines()).hasSize(8);
  }

  @Test
  void aReportInTheOldShapeIsAlteredExactlyWhenItHasProblemsAndListsTornAfterProblems() {
    AuditVerifier.Report clean = new AuditVerifier.Report("r", 3, List.of());
    assertThat(clean.verdict()).isEqualTo(AuditVerifier.Verdict.OK);
    assertThat(clean.ok()).isTrue();
    AuditVerifier.Report altered = new AuditVerifier.Report("r", 3, List.of("line 2 was edited"));
    assertThat(altered.verdict()).isEqualTo(AuditVerifier.Verdict.ALTERED);
    assertThat(altered.ok()).isFalse();
    assertThat(altered.signature())
        .isEqualTo(new AuditVerifier.SignatureState("not checked", null, -1));

    AuditVerifier.Report both =
        new AuditVerifier.Report(
            "r",
            3,
            List.of("line 2 was edited"),
            List.of("line 4 is cut off"),
            AuditVerifier.Verdict.ALTERED,
            new AuditVerifier.SignatureState("not checked", null, -1),
            false);
    assertThat(both.findings()).containsExactly("line 2 was edited", "line 4 is cut off");
  }
}
