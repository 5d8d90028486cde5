package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line appended by an interrupted thread (Ctrl-C, or a server stopping a run another server took
 * over, can interrupt the run's thread at any point) is written whole, and the interrupt is kept
 * for the run's next wait. A FileChannel written by an interrupted thread would be closed
 * mid-write.
 */
class InterruptedAppendTest {

  @TempDir Path state;

  @Test
  void anInterruptedThreadWritesWholeLinesAndKeepsItsInterrupt() throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, null)) {
      log.append(Trails.started(run));
      Thread.currentThread().interrupt();
      try {
        log.append(new AuditEvent.Paused("a@1", "", "stopped by a signal", Boolean.TRUE));
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
      } finally {
        Thread.interrupted();
      }
      log.append(new AuditEvent.RunFinished(Outcome.RESOLVED, "done", 6));
    }
    assertThat(AuditTrail.read(run).lines()).hasSize(3);
    assertThat(AuditVerifier.verify(run).findings()).isEmpty();
  }
}
