package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger of runs as the engine appends it (real files, real Ed25519 keys) and what checking its
 * signatures reports, in the ledger's own order.
 */
class LedgerTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;
  private Path state;
  private SigningKey key;

  @BeforeEach
  void makeAKey() throws IOException {
    state = tmp.resolve("state");
    Files.createDirectories(state);
    key = Trails.newKey(tmp.resolve("keys"), "engine");
  }

  private static String hash(char c) {
    return String.valueOf(c).repeat(64);
  }

  @Test
  void eachLineIsOneJsonObjectChainedToTheOneBeforeAndSignedOverItsBody() throws IOException {
    Ledger.append(state, "run-a", "started", 1, hash('a'), key, true, CLOCK);
    Ledger.append(state, "run-a", "finished", 9, hash('b'), key, false, CLOCK);
    List<String> lines = Files.readAllLines(Ledger.file(state), StandardCharsets.US_ASCII);
    assertThat(lines).hasSize(2);
    String body1 =
        "{\"seq\":1,\"time\":\"2026-12-07T12:00:00Z\",\"prev\":\""
            + AuditLog.GENESIS
            + "\",\"run\":\"run-a\",\"event\":\"started\",\"lines\":1,\"hash\":\""
            + hash('a')
            + "\"}";
    assertThat(lines.get(0))
        .isEqualTo(
            body1.substring(0, body1.length() - 1)
                + ",\"key\":\""
                + key.fingerprint()
                + "\",\"sig\":\""
                + key.signBase64(body1.getBytes(StandardCharsets.US_ASCII))
                + "\"}");
    assertThat(lines.get(1))
        .startsWith(
            "{\"seq\":2,\"time\":\"2026-12-07T12:00:00Z\",\"prev\":\""
                + Hashes.sha256(lines.get(0).getBytes(StandardCharsets.US_ASCII))
                + "\",\"run\":\"run-a\",\"event\":\"finished\",\"lines\":9,\"hash\":\""
                + hash('b')
                + "\",\"vouches\":true,\"key\":\""
                + key.fingerprint()
                + "\",\"sig\":\"")
        .endsWith("\"}");

    Ledger.Contents contents = Ledger.read(state);
    assertThat(contents.problems()).isEmpty();
    assertThat(contents.torn()).isFalse();
    assertThat(contents.entries())
        .extracting(Ledger.Entry::number, Ledger.Entry::event, Ledger.Entry::lines)
        .containsExactly(tuple(1, "started", 1L), tuple(2, "finished", 9L));
    Ledger.Signatures signatures =
        Ledger.checkSignatures(contents.entries(), Trails.trust(key), true);
    assertThat(signatures.altered()).isEmpty();
    assertThat(signatures.unsigned()).isEmpty();
    assertThat(signatures.authentic()).containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void anUnsignedLineIsWrittenWithoutKeyOrSignature() throws IOException {
    Ledger.append(state, "run-a", "started", 1, hash('a'), null, true, CLOCK);
    assertThat(Files.readString(Ledger.file(state)))
        .isEqualTo(
            "{\"seq\":1,\"time\":\"2026-12-07T12:00:00Z\",\"prev\":\""
                + AuditLog.GENESIS
                + "\",\"run\":\"run-a\",\"event\":\"started\",\"lines\":1,\"hash\":\""
                + hash('a')
                + "\"}\n");
  }

  @Test
  void aLineTornByAPowerLossIsCutAndTheChainGoesOnFromTheLastWholeLine() throws IOException {
    Ledger.append(state, "run-a", "started", 1, hash('a'), key, true, CLOCK);
    String whole = Files.readString(Ledger.file(state));
    Files.writeString(Ledger.file(state), whole + "{\"seq\":2,\"time\":\"2026-12");
    assertThat(Ledger.read(state).torn()).isTrue();

    Ledger.append(state, "run-a", "finished", 9, hash('b'), key, true, CLOCK);
    Ledger.Contents contents = Ledger.read(state);
    assertThat(contents.torn()).isFalse();
    assertThat(contents.problems()).isEmpty();
    assertThat(contents.entries()).extracting(Ledger.Entry::seq).containsExactly(1L, 2L);
    assertThat(Files.readString(Ledger.file(state))).startsWith(whole);
    assertThat(contents.entries().get(1).vouches()).isTrue();
  }

  @Test
  void aLineSignedByAnotherKeyIsNotVouchedFor() throws IOException {
    SigningKey other = Trails.newKey(tmp.resolve("keys"), "other");
    Ledger.append(state, "run-a", "started", 1, hash('a'), other, true, CLOCK);
    Ledger.append(state, "run-a", "finished", 9, hash('b'), key, true, CLOCK);
    Ledger.append(state, "run-b", "started", 1, hash('c'), null, true, CLOCK);
    Ledger.append(state, "run-b", "finished", 3, hash('d'), key, true, CLOCK);
    assertThat(Ledger.read(state).entries())
        .extracting(Ledger.Entry::vouches)
        .containsExactly(false, false, false, false);
  }

  @Test
  void aLineWhoseSignatureWasEditedIsNotVouchedForByTheNextAppend() throws IOException {
    Ledger.append(state, "run-a", "started", 1, hash('a'), key, true, CLOCK);
    String line = Files.readString(Ledger.file(state));
    int sig = line.indexOf("\"sig\":\"") + 7;
    char flipped = line.charAt(sig) == 'A' ? 'B' : 'A';
    Files.writeString(
        Ledger.file(state), line.substring(0, sig) + flipped + line.substring(sig + 1));
    Ledger.append(state, "run-a", "finished", 9, hash('b'), key, true, CLOCK);
    assertThat(Ledger.read(state).entries())
        .extracting(Ledger.Entry::vouches)
        .containsExactly(false, false);
  }

  @Test
  void problemsAreReportedInLedgerOrderAndTheFirstUnsignedLineIsNamed() throws IOException {
    SigningKey untrusted = Trails.newKey(tmp.resolve("keys"), "untrusted");
    Ledger.append(state, "run-a", "started", 1, hash('a'), untrusted, true, CLOCK);
    Ledger.append(state, "run-a", "finished", 9, hash('b'), null, true, CLOCK);
    Ledger.append(state, "run-b", "started", 1, hash('c'), untrusted, true, CLOCK);
    Ledger.append(state, "run-b", "finished", 4, hash('d'), null, true, CLOCK);
    Ledger.append(state, "run-c", "started", 1, hash('e'), null, true, CLOCK);
    Ledger.append(state, "run-c", "finished", 2, hash('f'), key, true, CLOCK);
    List<Ledger.Entry> entries = Ledger.read(state).entries();

    Ledger.Signatures signatures = Ledger.checkSignatures(entries, Trails.trust(key), true);
    assertThat(signatures.altered())
        .containsExactly(
            "ledger.jsonl line 1 is signed by "
                + untrusted.fingerprint()
                + ", which is not a trusted key",
            "ledger.jsonl line 3 is signed by "
                + untrusted.fingerprint()
                + ", which is not a trusted key");
    assertThat(signatures.unsigned())
        .containsExactly("ledger.jsonl: 3 lines are not signed (first: line 2)");
    assertThat(signatures.authentic()).containsExactly(6);

    Ledger.Signatures one =
        Ledger.checkSignatures(entries.subList(3, 6), Trails.trust(key, untrusted), true);
    assertThat(one.unsigned())
        .containsExactly("ledger.jsonl: 2 lines are not signed (first: line 4)");
    Ledger.Signatures single =
        Ledger.checkSignatures(entries.subList(4, 5), Trails.trust(key), true);
    assertThat(single.unsigned())
        .containsExactly("ledger.jsonl: 1 line is not signed (first: line 5)");
  }

  @Test
  void aBrokenChainMakesEveryLineBeCheckedItself() throws IOException {
    for (int i = 0; i < 3; i++) {
      Ledger.append(state, "run-" + i, "finished", 5, hash('a'), key, true, CLOCK);
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(Ledger.file(state)));
    // line 2's body edited (its signature no longer verifies); line 3 still vouches for it
    lines.set(1, lines.get(1).replace("\"lines\":5", "\"lines\":6"));
    Files.writeString(Ledger.file(state), String.join("\n", lines) + "\n");
    Ledger.Contents contents = Ledger.read(state);
    assertThat(contents.problems())
        .containsExactly("ledger.jsonl line 2 was edited or removed (line 3 does not chain to it)");

    Ledger.Signatures whole = Ledger.checkSignatures(contents.entries(), Trails.trust(key), true);
    assertThat(whole.altered()).as("trusting the vouching blindly").isEmpty();
    Ledger.Signatures broken = Ledger.checkSignatures(contents.entries(), Trails.trust(key), false);
    assertThat(broken.altered())
        .containsExactly("ledger.jsonl line 2 was edited: its signature does not verify");
    assertThat(broken.authentic()).containsExactlyInAnyOrder(1, 3);
  }

  @Test
  void aSignatureThatIsNotBase64IsNotVouchedFor() throws IOException {
    Ledger.append(state, "run-a", "started", 1, hash('a'), key, true, CLOCK);
    Files.writeString(
        Ledger.file(state),
        Files.readString(Ledger.file(state)).replaceFirst("\"sig\":\"[^\"]*\"", "\"sig\":\"!!\""));
    Ledger.append(state, "run-a", "finished", 9, hash('b'), key, true, CLOCK);
    assertThat(Ledger.read(state).entries())
        .extracting(Ledger.Entry::vouches)
        .containsExactly(false, false);
  }

  @Test
  void aLedgerLongerThanTheWindowItsEndIsReadThroughStillChains() throws IOException {
    // each line is about 230 bytes: 400 of them are beyond the 64 KiB read from the end
    for (int i = 0; i < 400; i++) {
      Ledger.append(state, "run-" + i, "finished", 5, hash('a'), null, false, CLOCK);
    }
    assertThat(Files.size(Ledger.file(state))).isGreaterThan(64 * 1024);
    Ledger.Contents contents = Ledger.read(state);
    assertThat(contents.problems()).isEmpty();
    assertThat(contents.entries()).hasSize(400);
    assertThat(contents.entries().get(399).seq()).isEqualTo(400);
  }

  @Test
  void aLedgerPlantedAsADirectoryIsAProblemNotACrash() throws IOException {
    Files.createDirectories(Ledger.file(state));
    Ledger.Contents contents = Ledger.read(state);
    assertThat(contents.exists()).isTrue();
    assertThat(contents.entries()).isEmpty();
    assertThat(contents.problems()).hasSize(1);
    assertThat(contents.problems().get(0)).startsWith("ledger.jsonl: ");
  }

  @Test
  void aSignedLineWhoseKeyComesFirstIsNotAnEntry() throws IOException {
    // the signature fields are always last: a key anywhere else means the line was rewritten
    Files.writeString(
        Ledger.file(state),
        "{\"key\":\"SHA256:x\",\"sig\":\"AAAA\",\"seq\":1,\"prev\":\""
            + AuditLog.GENESIS
            + "\",\"run\":\"run-a\",\"event\":\"started\",\"lines\":1,\"hash\":\""
            + hash('a')
            + "\"}\n");
    Ledger.Contents contents = Ledger.read(state);
    assertThat(contents.entries()).isEmpty();
    assertThat(contents.problems())
        .containsExactly("ledger.jsonl line 1 is not a ledger entry: it was edited");
  }
}
