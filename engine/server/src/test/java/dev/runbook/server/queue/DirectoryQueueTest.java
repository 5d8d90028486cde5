package dev.runbook.server.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryQueueTest {

  @TempDir Path dir;

  private static AlertRecord queued(String key) {
    return new AlertRecord(
        key,
        "alarms",
        "A",
        Map.of("host", "n1"),
        null,
        Instant.parse("2026-12-07T03:00:00Z"),
        AlertRecord.State.QUEUED,
        "RB",
        Map.of("host", "n1"),
        Map.of(),
        "approve",
        null,
        null,
        null,
        false);
  }

  @Test
  void theStateAndQueueDirectoriesItCreatesAreItsOwnersOnly() throws Exception {
    Path serve = dir.resolve("state").resolve("serve");
    try (DirectoryQueue queue = DirectoryQueue.open(serve, 10)) {
      queue.admit(List.of(queued("a")));
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state"))))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(serve)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(serve.resolve("alerts.jsonl"))))
        .isEqualTo("rw-------");
  }

  @Test
  void whatWasRecordedIsThereAfterReopeningAndTheLastChangeWins() throws Exception {
    try (DirectoryQueue queue = DirectoryQueue.open(dir, 10)) {
      queue.admit(List.of(queued("a"), queued("b")));
      queue.update(queue.get("a").orElseThrow().with(AlertRecord.State.RUNNING).withRun("r-1"));
    }
    try (DirectoryQueue queue = DirectoryQueue.open(dir, 10)) {
      assertThat(queue.get("a").orElseThrow().state()).isEqualTo(AlertRecord.State.RUNNING);
      assertThat(queue.byRun("r-1").orElseThrow().key()).isEqualTo("a");
      assertThat(queue.waiting()).isEqualTo(1);
      assertThat(Files.readAllLines(dir.resolve("alerts.jsonl"))).as("compacted").hasSize(2);
    }
  }

  @Test
  void aLineTornByACrashIsDropped() throws Exception {
    try (DirectoryQueue queue = DirectoryQueue.open(dir, 10)) {
      queue.admit(List.of(queued("a")));
    }
    Files.writeString(
        dir.resolve("alerts.jsonl"),
        "{\"key\":\"b\",\"sta",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (DirectoryQueue queue = DirectoryQueue.open(dir, 10)) {
      assertThat(queue.all()).extracting(AlertRecord::key).containsExactly("a");
    }
  }

  @Test
  void pastTheLimitNothingOfTheBatchIsRecorded() throws Exception {
    try (DirectoryQueue queue = DirectoryQueue.open(dir, 2)) {
      assertThat(queue.admit(List.of(queued("a")))).isEqualTo(AlertQueue.Admission.RECORDED);
      assertThat(queue.admit(List.of(queued("b"), queued("c"))))
          .isEqualTo(AlertQueue.Admission.FULL);
      assertThat(queue.all()).extracting(AlertRecord::key).containsExactly("a");
      assertThat(queue.admit(List.of(queued("b")))).isEqualTo(AlertQueue.Admission.RECORDED);
    }
  }

  @Test
  void resolvedStaysResolvedWhateverAWorkerWritesAfter() throws Exception {
    try (DirectoryQueue queue = DirectoryQueue.open(dir, 10)) {
      queue.admit(List.of(queued("a")));
      AlertRecord heldByAWorker = queue.get("a").orElseThrow();
      assertThat(queue.resolved("a")).isTrue();
      queue.update(heldByAWorker.ended(AlertRecord.State.ENDED, "resolved", null));
      assertThat(queue.get("a").orElseThrow().resolved()).isTrue();
      assertThat(queue.resolved("unknown")).isFalse();
    }
  }
}
