package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of a run's check that only real trails reach: the seal of {@code run.finished} and the
 * retry that may reopen it, lines after the head or after the last signature, and the ledger's word
 * on how far a trail goes. Trails are written by the real {@link AuditLog} with a real Ed25519 key,
 * then altered as someone who can write the state directory (but has no key) would.
 */
class TrailCheckTest {

  @TempDir Path tmp;
  private Path state;
  private SigningKey key;

  @BeforeEach
  void makeAKey() throws IOException {
    state = tmp.resolve("state");
    key = Trails.newKey(tmp.resolve("keys"), "engine");
  }

  private static AuditVerifier.Report chainOnly(RunDirectory run) throws IOException {
    return AuditVerifier.verify(run, AuditVerifier.Options.CHAIN_ONLY);
  }

  private AuditVerifier.Report signed(RunDirectory run) throws IOException {
    return AuditVerifier.verify(run, new AuditVerifier.Options(Trails.trust(key)));
  }

  private AuditVerifier.Report inState(RunDirectory run, TrustedKeys keys) throws IOException {
    return AuditVerifier.verifyState(state, List.of(run), false, new AuditVerifier.Options(keys))
        .runs()
        .get(0);
  }

  /** How the real log writes {@code event}: its line from {@code "type"} on (a scratch run). */
  private String eventFields(AuditEvent event) throws IOException {
    RunDirectory scratch = RunDirectory.create(tmp.resolve("scratch"), Clock.systemUTC());
    try (AuditLog log = AuditLog.open(scratch, Clock.systemUTC(), false, null)) {
      String line = log.appendLine(event);
      return line.substring(line.indexOf("\"type\""));
    }
  }

  /** {@code lines} with one more line, {@code event}, whose seq and prev the forger fills in. */
  private void addLine(List<String> lines, AuditEvent event) throws IOException {
    String last = lines.get(lines.size() - 1);
    lines.add(last.substring(0, last.indexOf("\"type\"")) + eventFields(event));
  }

  private static final AuditEvent COMMAND =
      new AuditEvent.CommandRendered("off-peak@1", "local", "sh proceed_ha_ssl_cert.sh", true);

  /** A failed run, resumed (with --retry-failed when {@code retry}), then resolved: 7 lines. */
  private RunDirectory failedThenRetried(SigningKey signingKey, boolean retry) throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, signingKey)) {
      log.append(Trails.started(run));
      log.append(
          new AuditEvent.StepStarted("renew@1", "renew", "6", null, "action", 1, "active", true));
      log.append(
          new AuditEvent.StepFinished(
              "renew@1",
              AuditEvent.StepStatus.FAILED,
              null,
              1L,
              12,
              null,
              "exit code 1",
              null,
              null,
              "local"));
      log.append(new AuditEvent.RunFinished(Outcome.FAILED, "renew failed", 30));
      log.append(
          new AuditEvent.Resumed(
              "bob", "ops-2", "test", List.of(), null, "bob", retry ? "renew@1" : null));
      log.append(
          new AuditEvent.StepStarted("renew@2", "renew", "6", null, "action", 2, "active", true));
      log.append(new AuditEvent.RunFinished(Outcome.RESOLVED, "renewed on retry", 50));
    }
    return run;
  }

  @Test
  void aFailedRunResumedToRetryItsFailedStepIsNotAnAppend() throws IOException {
    RunDirectory run = failedThenRetried(key, true);
    AuditVerifier.Report report = signed(run);
    assertThat(report.findings()).isEmpty();
    assertThat(report.lines()).isEqualTo(7);
    assertThat(report.signature())
        .isEqualTo(new AuditVerifier.SignatureState("valid", key.fingerprint(), 7));
  }

  @Test
  void aFailedRunResumedWithoutRetryingIsAnAppendAfterTheSeal() throws IOException {
    RunDirectory run = failedThenRetried(null, false);
    assertThat(chainOnly(run).problems())
        .containsExactly(
            "line 5 follows run.finished (line 4), which closes the trail: it was appended");
  }

  @Test
  void aLineOtherThanTheRetryAfterAFailedEndIsAnAppend() throws IOException {
    RunDirectory run = failedThenRetried(null, true);
    // the retry's run.resumed replaced by a rendered command
    List<String> lines = new ArrayList<>(Forger.lines(run).subList(0, 4));
    addLine(lines, COMMAND);
    Forger.rewriteAndRechain(run, lines);
    assertThat(chainOnly(run).problems())
        .containsExactly(
            "line 5 follows run.finished (line 4), which closes the trail: it was appended");
  }

  @Test
  void aRunThatEndedFailedVerifiesAndItsLastLineMayBeTheRetry() throws IOException {
    RunDirectory run = failedThenRetried(null, true);
    List<String> lines = Forger.lines(run);
    Forger.rewriteAndRechain(run, lines.subList(0, 4));
    assertThat(chainOnly(run).findings()).as("ends with run.finished failed").isEmpty();
    Forger.rewriteAndRechain(run, lines.subList(0, 5));
    assertThat(chainOnly(run).findings()).as("ends with the retry's run.resumed").isEmpty();
  }

  @Test
  void bytesAfterRunFinishedAreAnAppendNotOnlyATornLine() throws IOException {
    RunDirectory run = Trails.resolved(state, null);
    Files.writeString(run.events(), Files.readString(run.events()) + "{\"seq\":11,\"time\":\"20");
    AuditVerifier.Report report = chainOnly(run);
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.ALTERED);
    assertThat(report.problems())
        .containsExactly("bytes follow run.finished (line 10), which closes the trail");
  }

  @Test
  void linesAfterTheHeadOfAStoppedRunAreTornAndNamed() throws IOException {
    RunDirectory run = Trails.paused(state, null);
    List<String> lines = Forger.lines(run);
    Forger.recomputeHead(run, 4, Hashes.sha256(lines.get(3).getBytes(StandardCharsets.UTF_8)));
    AuditVerifier.Report report = chainOnly(run);
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.TORN);
    assertThat(report.torn())
        .containsExactly(
            "lines 5–6 come after the head, which records line 4: the run was killed between"
                + " writing a line and its head, or they were appended");

    Forger.recomputeHead(run, 5, Hashes.sha256(lines.get(4).getBytes(StandardCharsets.UTF_8)));
    assertThat(chainOnly(run).torn())
        .containsExactly(
            "line 6 comes after the head, which records line 5: the run was killed between"
                + " writing a line and its head, or they were appended");
  }

  @Test
  void aHeadThatRecordsOneLineMoreThanATornTrailIsTornWhenThatLineWasNotSynced()
      throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    AuditLog killed = AuditLog.open(run, Clock.systemUTC(), true, null);
    killed.append(Trails.started(run));
    killed.append(new AuditEvent.CommandRendered("s@1", "local", "echo x", false));
    killed.append(new AuditEvent.CommandRendered("s@1", "local", "echo y", false));
    List<String> lines = Forger.lines(run);
    // power loss: line 3 was never synced, half of it is lost
    Files.writeString(
        run.events(), lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2).substring(0, 20));
    AuditVerifier.Report report = chainOnly(run);
    assertThat(report.problems()).isEmpty();
    assertThat(report.torn())
        .containsExactly(
            "line 3 is cut off (the writer stopped mid-line: a crash or power loss while it was"
                + " written; what it said is lost)");

    // the same cut one line further back is not what a power loss does
    Files.writeString(run.events(), lines.get(0) + "\n" + lines.get(1).substring(0, 20));
    assertThat(chainOnly(run).problems())
        .containsExactly(
            "the trail ends at line 1 but its head records line 3: the end was cut off (line 1"
                + " was the last one synced to disk; a power loss while the run went on loses"
                + " the lines after it the same way)");
    killed.close();
  }

  /** A paused run (6 lines, signed at 6) with {@code extra} chained lines after its signature. */
  private RunDirectory pausedWithUnsignedLines(String... extraTypes) throws IOException {
    RunDirectory run = Trails.paused(state, key);
    List<String> lines = Forger.lines(run);
    for (String type : extraTypes) {
      addLine(
          lines,
          switch (type) {
            case "command" -> COMMAND;
            case "finished" -> new AuditEvent.RunFinished(Outcome.RESOLVED, "done", 5);
            case "paused" -> new AuditEvent.Paused("off-peak@1", "q", "no answer");
            default -> throw new IllegalArgumentException(type);
          });
    }
    Forger.rewriteAndRechain(run, lines);
    return run;
  }

  @Test
  void anUnsignedLineAfterTheSignatureOfAStoppedRunIsTornAndAResumeDropsIt() throws IOException {
    RunDirectory run = pausedWithUnsignedLines("command");
    AuditVerifier.Report report = signed(run);
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.TORN);
    assertThat(report.torn())
        .containsExactly(
            "line 7 comes after the last signed line (6): the run stopped before signing them,"
                + " or they were appended; a resume drops them");
    assertThat(report.signature())
        .isEqualTo(new AuditVerifier.SignatureState("valid", key.fingerprint(), 6));

    AuditVerifier.ResumeCheck resume = AuditVerifier.checkForResume(run, Trails.trust(key));
    assertThat(resume.refusal()).isNull();
    assertThat(resume.trustedLines()).isEqualTo(6);
    assertThat(AuditVerifier.checkForResume(run, null).trustedLines())
        .as("without keys every complete line is kept")
        .isEqualTo(7);
  }

  @Test
  void oneUnsignedEndingLineIsTornButTwoUnsignedLinesThatEndTheRunAreAnAppend() throws IOException {
    // killed between writing run.finished and signing it: only that line can be unsigned
    AuditVerifier.Report one = signed(pausedWithUnsignedLines("finished"));
    assertThat(one.verdict()).isEqualTo(AuditVerifier.Verdict.TORN);
    assertThat(one.torn())
        .containsExactly(
            "line 7 comes after the last signed line (6): the run stopped before signing them,"
                + " or they were appended; a resume drops them");

    AuditVerifier.Report two = signed(pausedWithUnsignedLines("command", "finished"));
    assertThat(two.verdict()).isEqualTo(AuditVerifier.Verdict.ALTERED);
    assertThat(two.problems())
        .containsExactly(
            "lines 7–8 come after the last signed line (6) and end the run: they were appended");

    AuditVerifier.Report paused = signed(pausedWithUnsignedLines("command", "command", "paused"));
    assertThat(paused.problems())
        .containsExactly(
            "lines 7–9 come after the last signed line (6) and end the run: they were appended");

    AuditVerifier.Report notEnding = signed(pausedWithUnsignedLines("command", "command"));
    assertThat(notEnding.verdict()).isEqualTo(AuditVerifier.Verdict.TORN);
    assertThat(notEnding.torn())
        .containsExactly(
            "lines 7–8 come after the last signed line (6): the run stopped before signing them,"
                + " or they were appended; a resume drops them");
  }

  @Test
  void aSignatureOnlyOverTheFirstLineKeepsOnlyThatLineOnResume() throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, key)) {
      log.append(Trails.started(run));
    }
    List<String> lines = Forger.lines(run);
    addLine(lines, COMMAND);
    Forger.rewriteAndRechain(run, lines);

    AuditVerifier.ResumeCheck resume = AuditVerifier.checkForResume(run, Trails.trust(key));
    assertThat(resume.refusal()).isNull();
    assertThat(resume.trustedLines()).isEqualTo(1);
    assertThat(resume.report().signature().signedSeq()).isEqualTo(1);
  }

  @Test
  void anUnsignedRunIsRefusedForResumeAsNotSignedAndAnEditedOneAsNotVerifying() throws IOException {
    RunDirectory unsigned = Trails.paused(state, null);
    assertThat(AuditVerifier.checkForResume(unsigned, Trails.trust(key)).refusal())
        .isEqualTo(
            "the trail of run "
                + unsigned.runId()
                + " is not signed (events.head carries no signature (the run was made without a"
                + " signing key)); it will not be resumed");
    AuditVerifier.ResumeCheck unchecked = AuditVerifier.checkForResume(unsigned, null);
    assertThat(unchecked.refusal()).isNull();
    assertThat(unchecked.trustedLines()).isEqualTo(6);

    Forger.editAndRechain(unsigned, 2, line -> line.replace("\"no\"", "\"yes\""));
    Files.writeString(
        unsigned.events(), Files.readString(unsigned.events()).replace("alice", "mallory"));
    AuditVerifier.ResumeCheck edited = AuditVerifier.checkForResume(unsigned, null);
    assertThat(edited.refusal())
        .startsWith("the trail of run " + unsigned.runId() + " does not verify (line ")
        .endsWith("); it will not be resumed");
    assertThat(edited.trustedLines()).isZero();
  }

  @Test
  void aHeadSignatureIsNotCheckedWhenTheAuthenticLedgerRecordsTheTrailsLastLine()
      throws IOException {
    RunDirectory run = Trails.resolved(state, key);
    // a head whose signature no longer verifies: the ledger's signed last line vouches instead
    breakHeadSignature(run);
    assertThat(signed(run).problems())
        .as("on its own, the head is checked")
        .containsExactly(
            "the signature in events.head does not verify: the head was rewritten (without the"
                + " key)");
    AuditVerifier.Report report = inState(run, Trails.trust(key));
    assertThat(report.findings()).isEmpty();
    assertThat(report.signature())
        .isEqualTo(new AuditVerifier.SignatureState("valid", key.fingerprint(), 10));
  }

  @Test
  void theLedgerDoesNotVouchForATrailLongerThanTheLineItRecords() throws IOException {
    RunDirectory run = Trails.paused(state, key);
    List<String> lines = Forger.lines(run);
    addLine(lines, COMMAND);
    Forger.rewriteAndRechain(run, lines);
    // the head's signature covers line 6 only; the ledger's last line (paused) records line 6
    AuditVerifier.Report report = inState(run, Trails.trust(key));
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.TORN);
    assertThat(report.signature().signedSeq()).isEqualTo(6);
    assertThat(report.torn()).hasSize(1);
  }

  @Test
  void aTrailCutShortOfTheLedgersLastLineIsNamedWithThatLedgerLine() throws IOException {
    RunDirectory run = Trails.resolved(state, null);
    Forger.rewriteAndRechain(run, Forger.lines(run).subList(0, 8));
    AuditVerifier.Report report = inState(run, null);
    assertThat(report.problems())
        .containsExactly(
            "the ledger records line 10 of this run (ledger line 2, finished) but the trail ends"
                + " at line 8: the end was cut off");
  }

  @Test
  void theLedgersLatestLineIsComparedFirst() throws IOException {
    RunDirectory run = Trails.resolved(state, null);
    // every line after the first rechained: the ledger's line for run.started still matches,
    // its line for run.finished (the latest word) does not
    Forger.editAndRechain(run, 1, line -> line.replace("\"read\"", "\"skip\""));
    assertThat(inState(run, null).problems())
        .containsExactly(
            "line 10 is not the line the ledger records (ledger line 2, finished): the trail was"
                + " rewritten");

    // the first line rewritten: both ledger lines disagree, the latest is named
    Forger.editAndRechain(run, 0, line -> line.replace("alice", "mallory"));
    assertThat(inState(run, null).problems())
        .containsExactly(
            "line 10 is not the line the ledger records (ledger line 2, finished): the trail was"
                + " rewritten");
  }

  @Test
  void aTrailCutBackToBeforeItsResumeIsNamedFromTheResumedLedgerLine() throws IOException {
    RunDirectory run = Trails.paused(state, null);
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, null)) {
      log.append(new AuditEvent.Resumed("bob", "ops-2", "test", List.of(), null));
    }
    assertThat(inState(run, null).findings()).isEmpty();
    // the trail cut back to the pause: the ledger's "resumed" (trail line 7) is past its end
    Forger.rewriteAndRechain(run, Forger.lines(run).subList(0, 6));
    assertThat(inState(run, null).problems())
        .containsExactly(
            "the ledger records line 7 of this run (ledger line 3, resumed) but the trail ends at"
                + " line 6: the end was cut off");
  }

  /** A one-line run made in another state directory, its clock {@code hours} off now. */
  private RunDirectory copiedIn(long hours) throws IOException {
    Path elsewhere = tmp.resolve("elsewhere" + hours);
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofHours(hours));
    RunDirectory made = RunDirectory.create(elsewhere, clock);
    try (AuditLog log = AuditLog.open(made, clock, true, null)) {
      log.append(Trails.started(made));
    }
    Files.move(made.path(), RunDirectory.runsRoot(state).resolve(made.runId()));
    return RunDirectory.find(state, made.runId());
  }

  @Test
  void aRunDirectoryNewerThanTheLedgersFirstRunButNotInItIsNamedAndAnOlderOneIsNot()
      throws IOException {
    RunDirectory first = Trails.resolved(state, null);
    RunDirectory newer = copiedIn(1);
    RunDirectory older = copiedIn(-1); // from before the ledger was kept
    AuditVerifier.StateReport report =
        AuditVerifier.verifyState(
            state, List.of(first, newer, older), true, AuditVerifier.Options.CHAIN_ONLY);
    assertThat(report.problems()).isEmpty();
    assertThat(report.runs().get(0).findings()).isEmpty();
    assertThat(report.runs().get(1).problems())
        .containsExactly(
            "the ledger of runs has no line for this run: its directory was not made by a run"
                + " here (copied in, or renamed)");
    assertThat(report.runs().get(2).findings()).isEmpty();
  }

  @Test
  void aTrailLongerThanTheFirstHashTableIsCheckedToItsLastLine() throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, key)) {
      log.append(Trails.started(run));
      for (int i = 1; i < 300; i++) {
        log.append(new AuditEvent.WaitProgress("poll@1", i * 1000L, 600_000, i));
      }
    }
    AuditVerifier.Report report = signed(run);
    assertThat(report.findings()).isEmpty();
    assertThat(report.lines()).isEqualTo(300);
    assertThat(report.signature())
        .isEqualTo(new AuditVerifier.SignatureState("valid", key.fingerprint(), 300));

    Forger.editAndRechain(run, 150, line -> line.replace("\"attempt\":150", "\"attempt\":15"));
    assertThat(signed(run).problems())
        .containsExactly(
            "line 300 is not the line that was signed: the trail was rewritten and its chain"
                + " recomputed");
  }

  @Test
  void twoLinesRemovedAreNamedAsARange() throws IOException {
    RunDirectory run = Trails.resolved(state, null);
    List<String> lines = Forger.lines(run);
    lines.remove(3);
    lines.remove(2);
    Files.writeString(run.events(), String.join("\n", lines) + "\n");
    assertThat(chainOnly(run).problems())
        .startsWith("line 3 has seq 5 where 3 was expected: line 3 to 4 was removed");
  }

  @Test
  void aTornLineAfterTheHeadsLastLineIsTornAndNamed() throws IOException {
    RunDirectory run = Trails.paused(state, null);
    Files.writeString(run.events(), Files.readString(run.events()) + "{\"seq\":7,\"time\":\"20");
    AuditVerifier.Report report = chainOnly(run);
    assertThat(report.problems()).isEmpty();
    assertThat(report.torn())
        .containsExactly(
            "line 7 is cut off (the writer stopped mid-line: a crash or power loss while it was"
                + " written; what it said is lost)");

    // without its head, the torn line is still named after the missing head
    Files.delete(run.head());
    assertThat(chainOnly(run).findings())
        .containsExactly(
            "events.head is missing: cannot tell whether lines were cut off the end",
            "line 7 is cut off (the writer stopped mid-line: a crash or power loss while it was"
                + " written; what it said is lost)");
  }

  @Test
  void aRunOfOneLineVerifiesWithAndWithoutKeys() throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, key)) {
      log.append(Trails.started(run));
    }
    assertThat(chainOnly(run).findings()).isEmpty();
    AuditVerifier.Report report = signed(run);
    assertThat(report.findings()).isEmpty();
    assertThat(report.signature())
        .isEqualTo(new AuditVerifier.SignatureState("valid", key.fingerprint(), 1));

    // its head signature broken: the authenticated ledger line for line 1 still vouches
    breakHeadSignature(run);
    assertThat(signed(run).signature().state()).isEqualTo("invalid");
    assertThat(inState(run, Trails.trust(key)).findings()).isEmpty();
  }

  @Test
  void theSignatureStateSaysWhatWasCheckedAndWhatWasFound() throws IOException {
    RunDirectory signedRun = Trails.resolved(state, key);
    RunDirectory unsignedRun = Trails.resolved(state, null);
    assertThat(chainOnly(signedRun).signature())
        .isEqualTo(new AuditVerifier.SignatureState("not checked", key.fingerprint(), 10));
    assertThat(chainOnly(unsignedRun).signature())
        .isEqualTo(new AuditVerifier.SignatureState("not signed", null, -1));
    assertThat(signed(unsignedRun).signature())
        .isEqualTo(new AuditVerifier.SignatureState("not signed", null, -1));

    SigningKey other = Trails.newKey(tmp.resolve("keys"), "other");
    AuditVerifier.Report untrusted =
        AuditVerifier.verify(signedRun, new AuditVerifier.Options(Trails.trust(other)));
    assertThat(untrusted.signature())
        .isEqualTo(new AuditVerifier.SignatureState("untrusted key", key.fingerprint(), 10));

    breakHeadSignature(signedRun);
    AuditVerifier.Report invalid = signed(signedRun);
    assertThat(invalid.signature())
        .isEqualTo(new AuditVerifier.SignatureState("invalid", key.fingerprint(), 10));
    assertThat(invalid.problems())
        .containsExactly(
            "the signature in events.head does not verify: the head was rewritten (without the"
                + " key)");
  }

  /** The head's signature made another valid-looking base64 string (one character changed). */
  private static void breakHeadSignature(RunDirectory run) throws IOException {
    String head = Files.readString(run.head());
    int at = head.indexOf("\"sig\":\"") + 7;
    char changed = head.charAt(at) == 'A' ? 'B' : 'A';
    Files.writeString(run.head(), head.substring(0, at) + changed + head.substring(at + 1));
  }
}
