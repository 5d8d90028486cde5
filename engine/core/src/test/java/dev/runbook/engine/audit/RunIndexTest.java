package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit list} reads summaries from run-index.tsv, and says what the trails say when the
 * index is missing, stale, or tampered with.
 */
class RunIndexTest {

  @TempDir Path state;

  private RunDirectory trail(String host, Consumer<AuditLog> end) throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), false)) {
      log.append(started(run, host));
      log.append(new AuditEvent.CommandRendered("s@1", "local", "echo hi", false));
      end.accept(log);
    }
    return run;
  }

  private static AuditEvent.RunStarted started(RunDirectory run, String host) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("HostName", host);
    params.put("Note", "tab\there, new\nline, back\\slash, \u001f\u001e, ünïcode");
    return new AuditEvent.RunStarted(
        run.runId(),
        "R-1",
        "title\twith a tab",
        List.of("A-1", ""),
        "f.yaml",
        "ab".repeat(32),
        params,
        null,
        "alice",
        "ops-1",
        "test");
  }

  private static Consumer<AuditLog> finished(String outcome) {
    return log -> log.append(new AuditEvent.RunFinished(Outcome.of(outcome), "why: " + outcome, 5));
  }

  /** What reading every trail in full says. */
  private List<RunSummary> fromTrails() throws IOException {
    List<RunSummary> all = new ArrayList<>();
    for (RunDirectory run : RunSummary.runs(state)) {
      all.add(RunSummary.of(run));
    }
    return all;
  }

  private List<String> indexLines() throws IOException {
    return new ArrayList<>(Files.readAllLines(RunIndex.file(state), StandardCharsets.UTF_8));
  }

  private void writeIndex(List<String> lines) throws IOException {
    Files.writeString(RunIndex.file(state), String.join("\n", lines) + "\n");
  }

  @Test
  void aRunThatFinishesOrPausesGetsAnEntryThatSaysWhatItsTrailSays() throws IOException {
    trail("n1", finished("resolved"));
    trail("n2", finished("failed"));
    trail("n3", log -> log.append(new AuditEvent.Paused("ask@1", "Cleared?", "waiting")));
    trail("n4", log -> {}); // still running, or killed: no entry

    Map<String, RunIndex.Entry> index = RunIndex.read(state);
    assertThat(index).hasSize(3);
    List<RunSummary> expected = fromTrails();
    // Run ids sort by start second, then a random suffix: runs in one second are in any order.
    for (RunSummary s : expected) {
      if (s.status().equals("stopped")) {
        assertThat(index).doesNotContainKey(s.runId());
      } else {
        assertThat(index.get(s.runId()).summary()).isEqualTo(s);
      }
    }
    assertThat(RunSummary.all(state)).isEqualTo(expected);
    assertThat(expected)
        .extracting(RunSummary::status)
        .containsExactlyInAnyOrder("resolved", "failed", "paused", "stopped");
  }

  @Test
  void withoutAnIndexEveryRunIsReadFromItsTrail() throws IOException {
    trail("n1", finished("resolved"));
    trail("n2", finished("escalated"));
    Files.delete(RunIndex.file(state));

    assertThat(RunIndex.read(state)).isEmpty();
    assertThat(RunSummary.all(state)).isEqualTo(fromTrails()).hasSize(2);
  }

  @Test
  void aResumedRunsEntryIsStaleAndItsTrailCounts() throws IOException {
    RunDirectory run =
        trail("n1", log -> log.append(new AuditEvent.Paused("ask@1", "Cleared?", "waiting")));
    assertThat(RunIndex.read(state).get(run.runId()).summary().status()).isEqualTo("paused");
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), false)) {
      log.append(new AuditEvent.Resumed("bob", "ops-2", "test", List.of(), null));
    }

    assertThat(RunIndex.read(state).get(run.runId()).isCurrent(run)).isFalse();
    assertThat(RunSummary.all(state)).extracting(RunSummary::status).containsExactly("stopped");
    assertThat(RunSummary.all(state)).isEqualTo(fromTrails());
  }

  @Test
  void aResumedRunThatFinishesGetsANewerEntryThatWins() throws IOException {
    RunDirectory run =
        trail("n1", log -> log.append(new AuditEvent.Paused("ask@1", "Cleared?", "waiting")));
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), false)) {
      log.append(new AuditEvent.Resumed("bob", "ops-2", "test", List.of(), null));
      log.append(new AuditEvent.RunFinished(Outcome.RESOLVED, null, 9));
    }

    assertThat(indexLines()).hasSize(2);
    RunIndex.Entry entry = RunIndex.read(state).get(run.runId());
    assertThat(entry.isCurrent(run)).isTrue();
    assertThat(entry.summary()).isEqualTo(RunSummary.of(run));
    assertThat(entry.summary().status()).isEqualTo("resolved");
  }

  @Test
  void aTrailEditedAfterItsEntryWasWrittenIsReadInsteadOfTheEntry() throws IOException {
    RunDirectory run = trail("n1", finished("failed"));
    assertThat(RunIndex.read(state).get(run.runId()).isCurrent(run)).isTrue();
    FileTime written = Files.getLastModifiedTime(run.events());
    // The same length, so only the modification time tells: wait (bounded) until the clock the
    // file system stamps with has moved past the trail's last write, as any later edit would be.
    Path probe = state.resolve("probe");
    long deadline = System.nanoTime() + 5_000_000_000L;
    do {
      Files.writeString(probe, "x");
    } while (Files.getLastModifiedTime(probe).compareTo(written) <= 0
        && System.nanoTime() < deadline);
    assertThat(Files.getLastModifiedTime(probe)).isGreaterThan(written);
    String edited = Files.readString(run.events()).replace("why: failed", "why: forged");
    assertThat(edited).contains("why: forged");
    Files.writeString(run.events(), edited);

    assertThat(RunIndex.read(state).get(run.runId()).isCurrent(run)).isFalse();
    assertThat(RunSummary.all(state))
        .extracting(RunSummary::message)
        .containsExactly("why: forged");
  }

  @Test
  void aCutTrailIsReadInsteadOfItsEntry() throws IOException {
    RunDirectory run = trail("n1", finished("resolved"));
    List<String> lines = Files.readAllLines(run.events());
    Files.writeString(run.events(), String.join("\n", lines.subList(0, 2)) + "\n");

    assertThat(RunSummary.all(state)).extracting(RunSummary::status).containsExactly("stopped");
  }

  @Test
  void anEntryEditedByHandIsIgnoredAndItsRunIsReadFromItsTrail() throws IOException {
    RunDirectory run = trail("n1", finished("failed"));
    List<String> lines = indexLines();
    lines.set(0, lines.get(0).replace("\tfailed\t", "\tresolved\t"));
    assertThat(lines.get(0)).contains("\tresolved\t");
    writeIndex(lines);

    assertThat(RunIndex.read(state)).doesNotContainKey(run.runId());
    assertThat(RunSummary.all(state)).extracting(RunSummary::status).containsExactly("failed");
  }

  @Test
  void aHalfWrittenOrForeignIndexLineIsIgnoredAndTheOthersStillCount() throws IOException {
    RunDirectory first = trail("n1", finished("resolved"));
    RunDirectory second = trail("n2", finished("failed"));
    List<String> lines = indexLines();
    lines.add(0, "not an index line");
    lines.add(lines.get(1).substring(0, 40)); // a torn write at the end
    writeIndex(lines);

    Map<String, RunIndex.Entry> index = RunIndex.read(state);
    assertThat(index).containsOnlyKeys(first.runId(), second.runId());
    assertThat(RunSummary.all(state)).isEqualTo(fromTrails());
  }

  @Test
  void anIndexOfAnotherFormatVersionIsIgnored() throws IOException {
    trail("n1", finished("resolved"));
    List<String> lines = indexLines();
    String body = "v2" + lines.get(0).substring(2, lines.get(0).lastIndexOf('\t'));
    lines.set(0, body + "\t" + IndexCodec.crc(body));
    writeIndex(lines);

    assertThat(RunIndex.read(state)).isEmpty();
    assertThat(RunSummary.all(state)).isEqualTo(fromTrails());
  }

  @Test
  void fieldsWithTabsNewlinesSeparatorsAndNullsSurviveTheIndex() throws IOException {
    RunDirectory run =
        trail("n1", log -> log.append(new AuditEvent.RunFinished(Outcome.FAILED, null, 1)));
    RunIndex.Entry entry = RunIndex.read(state).get(run.runId());

    assertThat(entry.summary()).isEqualTo(RunSummary.of(run));
    assertThat(entry.summary().message()).isNull();
    assertThat(entry.summary().params().get("Note")).contains("tab\there", "new\nline", "\u001f");
    assertThat(entry.summary().alarms()).containsExactly("A-1", "");
    assertThat(indexLines()).hasSize(1); // no raw newline leaked into the line
  }

  @Test
  void aStrayFileInTheRunsDirectoryIsNoRun() throws IOException {
    trail("n1", finished("resolved"));
    Files.writeString(RunDirectory.runsRoot(state).resolve("notes.txt"), "hello");

    assertThat(RunSummary.all(state)).isEqualTo(fromTrails()).hasSize(1);
  }
}
