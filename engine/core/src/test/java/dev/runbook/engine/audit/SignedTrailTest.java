package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed heads: what a key proves, what rewriting costs a forger, rotation, and key hygiene. */
class SignedTrailTest {

  @TempDir Path tmp;
  private Path state;
  private SigningKey key;

  @BeforeEach
  void makeAKey() throws IOException {
    state = tmp.resolve("state");
    key = Trails.newKey(tmp.resolve("keys"), "engine");
  }

  private AuditVerifier.Report verify(RunDirectory run, TrustedKeys keys) throws IOException {
    return AuditVerifier.verifyState(state, List.of(run), false, new AuditVerifier.Options(keys))
        .runs()
        .get(0);
  }

  @Test
  void aSignedRunVerifiesWithItsKeyAndNamesIt() throws IOException {
    RunDirectory run = Trails.resolved(state, key);
    AuditVerifier.Report report = verify(run, Trails.trust(key));
    assertThat(report.findings()).isEmpty();
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.OK);
    assertThat(report.signature())
        .isEqualTo(new AuditVerifier.SignatureState("valid", key.fingerprint(), 10));
    assertThat(Files.readString(run.head()))
        .contains("\"run\":\"" + run.runId() + "\"", "\"key\":\"" + key.fingerprint() + "\"");
  }

  @Test
  void aDecisionRewrittenWithItsChainAndHeadRecomputedFailsOnlyWithTheKey() throws IOException {
    RunDirectory run = Trails.resolved(state, key);
    // The forger makes the recorded certificate look valid for 90 days: the run "had no reason"
    // to renew. Chain and head recomputed, as anyone who can write the directory can.
    Forger.editAndRechain(
        run, 4, line -> line.replace("\"steps.read.daysLeft\":9", "\"steps.read.daysLeft\":90"));

    assertThat(AuditVerifier.verify(run).problems())
        .as("without a key the unkeyed chain cannot tell")
        .isEmpty();
    AuditVerifier.Report report = verify(run, Trails.trust(key));
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.ALTERED);
    assertThat(report.problems())
        .contains(
            "line 10 is not the line that was signed: the trail was rewritten and its chain"
                + " recomputed");
  }

  @Test
  void aHeadWhoseSignedHashIsAlsoRewrittenFailsItsSignature() throws IOException {
    RunDirectory run = Trails.resolved(state, key);
    Forger.editAndRechain(run, 4, line -> line.replace("\":9}", "\":90}"));
    String lastHash = Hashes.sha256(Forger.lines(run).get(9).getBytes());
    Files.writeString(
        run.head(),
        Files.readString(run.head())
            .replaceFirst(
                "\"signedHash\":\"[0-9a-f]{64}\"", "\"signedHash\":\"" + lastHash + "\""));
    assertThat(verify(run, Trails.trust(key)).problems())
        .contains(
            "the signature in events.head does not verify: the head was rewritten (without the"
                + " key)");
  }

  @Test
  void rotationTrustsBothKeysAndAnUntrustedKeyFails() throws IOException {
    SigningKey next = Trails.newKey(tmp.resolve("keys"), "next");
    RunDirectory old = Trails.resolved(state, key);
    RunDirectory fresh = Trails.resolved(state, next);

    TrustedKeys both =
        TrustedKeys.load(List.of(tmp.resolve("keys/engine.pub"), tmp.resolve("keys/next.pub")));
    assertThat(verify(old, both).signature().state()).isEqualTo("valid");
    assertThat(verify(fresh, both).signature().state()).isEqualTo("valid");
    AuditVerifier.StateReport all =
        AuditVerifier.verifyState(
            state, RunSummary.runs(state), true, new AuditVerifier.Options(both));
    assertThat(all.problems()).isEmpty();
    assertThat(all.runs()).allMatch(AuditVerifier.Report::ok);

    AuditVerifier.Report onlyNew = verify(old, Trails.trust(next));
    assertThat(onlyNew.verdict()).isEqualTo(AuditVerifier.Verdict.ALTERED);
    assertThat(onlyNew.problems())
        .containsExactly(
            "its head is signed by " + key.fingerprint() + ", which is not a trusted key");
  }

  @Test
  void aRunWithoutSignatureIsUnsignedWhenKeysAreGiven() throws IOException {
    RunDirectory run = Trails.resolved(state, null);
    AuditVerifier.Report report = verify(run, Trails.trust(key));
    assertThat(report.verdict()).isEqualTo(AuditVerifier.Verdict.UNSIGNED);
    assertThat(report.problems())
        .containsExactly(
            "events.head carries no signature (the run was made without a signing key)");
    assertThat(verify(run, null).verdict()).isEqualTo(AuditVerifier.Verdict.OK);
  }

  @Test
  void aLineThatIsNotSyncedIsSignedSoonAfterOnTheSignerThread() throws Exception {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), false, key)) {
      log.append(Trails.started(run));
      log.append(new AuditEvent.CommandRendered("s@1", "local", "echo long-running", false));
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      // the head is rewritten at once; the signature follows within SIGN_DELAY_MS
      while (!Files.readString(run.head()).contains("\"signedSeq\":2")) {
        assertThat(Instant.now()).as("signed within 10 s").isBefore(deadline);
        Thread.sleep(20);
      }
      assertThat(Files.readString(run.head())).startsWith("{\"seq\":2,");
    }
  }

  @Test
  void aKeyReadableByOthersOrInsideTheStateDirectoryIsRefused() throws IOException {
    Path file = tmp.resolve("keys/engine.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> SigningKey.load(file, state))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessage(
            "RUNBOOK_SIGNING_KEY="
                + file
                + ": the private key is readable or writable by group or others (mode rw-r-----);"
                + " run: chmod 600 "
                + file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.createDirectories(state);
    Path inside = state.resolve("engine.key");
    Files.copy(file, inside);
    assertThatThrownBy(() -> SigningKey.load(inside, state))
        .isInstanceOf(SigningKey.Unusable.class)
        .hasMessageContaining("the private key is inside the state directory");
    assertThatThrownBy(() -> TrustedKeys.load(List.of(file)))
        .hasMessageContaining("a PRIVATE key; give the public key (the .pub file)");
  }

  @Test
  void theLedgerLinesAreSignedAndAnEditedOneIsNamed() throws IOException {
    Trails.resolved(state, key);
    Trails.resolved(state, key);
    AuditVerifier.Options options = new AuditVerifier.Options(Trails.trust(key));
    assertThat(AuditVerifier.verifyState(state, RunSummary.runs(state), true, options).problems())
        .isEmpty();
    Path ledger = Ledger.file(state);
    Files.writeString(
        ledger,
        Files.readString(ledger).replaceFirst("\"event\":\"finished\"", "\"event\":\"paused\""));
    assertThat(AuditVerifier.verifyState(state, RunSummary.runs(state), true, options).problems())
        .contains(
            "ledger.jsonl line 2 was edited or removed (line 3 does not chain to it)",
            "ledger.jsonl line 2 was edited: its signature does not verify");
  }

  @Test
  void aRunCutOutOfTheLedgerIsFoundEvenAfterTheEngineAppendsOnTopOfTheForgery() throws IOException {
    Trails.resolved(state, key);
    RunDirectory removed = Trails.resolved(state, key);
    Trails.resolved(state, key);
    // The forger deletes the second run and its two ledger lines, then rechains the ledger.
    try (var paths = Files.walk(removed.path())) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    List<String> ledger = new ArrayList<>(Files.readAllLines(Ledger.file(state)));
    ledger.removeIf(line -> line.contains("\"run\":\"" + removed.runId() + "\""));
    String previous = AuditLog.GENESIS;
    StringBuilder rechained = new StringBuilder();
    for (int i = 0; i < ledger.size(); i++) {
      String line =
          ledger
              .get(i)
              .replaceFirst("^\\{\"seq\":\\d+", "{\"seq\":" + (i + 1))
              .replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + previous + "\"");
      previous = Hashes.sha256(line.getBytes(StandardCharsets.UTF_8));
      rechained.append(line).append('\n');
    }
    Files.writeString(Ledger.file(state), rechained.toString());
    // The engine runs again and signs a new last line on top.
    Trails.resolved(state, key);

    AuditVerifier.StateReport report =
        AuditVerifier.verifyState(
            state, RunSummary.runs(state), true, new AuditVerifier.Options(Trails.trust(key)));
    assertThat(report.problems())
        .contains(
            "ledger.jsonl line 3 was edited: its signature does not verify",
            "ledger.jsonl line 4 was edited: its signature does not verify");
    assertThat(
            AuditVerifier.verifyState(
                    state, RunSummary.runs(state), true, AuditVerifier.Options.CHAIN_ONLY)
                .problems())
        .as("without the key the rechained ledger holds")
        .isEmpty();
  }

  @Test
  void withOneKeyTheLedgerCostsOneSignatureCheck() throws IOException {
    for (int i = 0; i < 3; i++) {
      Trails.resolved(state, key);
    }
    Ledger.Contents ledger = Ledger.read(state);
    assertThat(ledger.entries()).hasSize(6);
    assertThat(ledger.entries())
        .extracting(Ledger.Entry::vouches)
        .containsExactly(false, true, true, true, true, true);
    Ledger.Signatures signatures =
        Ledger.checkSignatures(ledger.entries(), Trails.trust(key), true);
    assertThat(signatures.altered()).isEmpty();
    assertThat(signatures.authentic()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
  }
}
