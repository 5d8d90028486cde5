package dev.runbook.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditLog;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStoreTest {

  @TempDir Path state;
  @TempDir Path other;

  @Test
  void aTrailCopiedLineByLineVerifiesInItsNewPlace() throws Exception {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, null)) {
      log.append(
          new AuditEvent.RunStarted(
              run.runId(),
              "rb",
              "title",
              List.of("ALM-1"),
              "/rb.yaml",
              "0".repeat(64),
              Map.of("host", "a"),
              null,
              "op",
              "machine",
              "1",
              "root",
              null,
              null));
      log.append(new AuditEvent.RunFinished(Outcome.RESOLVED, "done", 5));
    }
    try (DirectoryStore from = new DirectoryStore(state);
        DirectoryStore to = new DirectoryStore(other)) {
      assertThat(from.trails().runIds()).containsExactly(run.runId());
      assertThat(TrailExport.copy(from.trails(), run.runId(), to.trails())).isEqualTo(2);
      RunDirectory copied =
          new RunDirectory(run.runId(), RunDirectory.runsRoot(other).resolve(run.runId()));
      assertThat(AuditVerifier.verify(copied).findings())
          .isEqualTo(AuditVerifier.verify(run).findings());
      assertThat(AuditVerifier.verify(copied).ok())
          .as("%s", AuditVerifier.verify(copied).findings())
          .isTrue();
      assertThatThrownBy(() -> TrailExport.copy(from.trails(), run.runId(), to.trails()))
          .hasMessageContaining("already in the target");
    }
  }

  @Test
  void aLineThatIsNotTheNextOneIsRefused() throws Exception {
    try (DirectoryStore store = new DirectoryStore(state)) {
      store.trails().append("r1", 1, "{}".getBytes(StandardCharsets.UTF_8), null);
      assertThatThrownBy(
              () -> store.trails().append("r1", 3, "{}".getBytes(StandardCharsets.UTF_8), null))
          .hasMessageContaining("not the next one");
      assertThat(store.trails().lines("r1")).hasSize(1);
    }
  }

  @Test
  void aLockIsHeldUntilReleased() throws Exception {
    try (DirectoryStore store = new DirectoryStore(state)) {
      Lease lease = store.locks().tryAcquire("host:a", "me", Duration.ofSeconds(5)).orElseThrow();
      assertThat(store.locks().tryAcquire("host:a", "you", Duration.ofSeconds(5))).isEmpty();
      store.locks().release(lease);
      assertThat(store.locks().tryAcquire("host:a", "you", Duration.ofSeconds(5))).isPresent();
    }
  }
}
