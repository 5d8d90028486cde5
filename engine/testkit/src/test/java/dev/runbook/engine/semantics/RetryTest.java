package dev.runbook.engine.semantics;

import static dev.runbook.testkit.ScriptedAction.Reply.exit;
import static dev.runbook.testkit.ScriptedAction.Reply.fail;
import static dev.runbook.testkit.ScriptedAction.Reply.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.Execution;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code retry:}: which failures are tried again, how often, and with what pause between. */
class RetryTest extends ScriptedEngineTest {

  private static final String FLAKY =
      """
      runbook: T
      title: flaky
      steps:
        - id: flaky
          probe: x
          retry: {attempts: 4, delay: 10ms}
      """;

  @BeforeEach
  void runbook() {
    kit.runbook(FLAKY);
  }

  @Test
  void retriesARetryableFailureUntilItSucceeds() throws Exception {
    probe.replies(exit(1), exit(1), succeed());

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(probe.calls()).hasSize(3);
    assertThat(run.events(AuditEvent.StepStarted.class))
        .filteredOn(s -> s.stepId().equals("flaky"))
        .extracting(AuditEvent.StepStarted::attempt)
        .containsExactly(1, 2, 3);
    // The delay is slept between attempts, not after the last one.
    assertThat(kit.time().sleeps()).containsExactly(Duration.ofMillis(10), Duration.ofMillis(10));
    assertThat(run.trailProblems()).isEmpty();
  }

  @Test
  void aFailureThatKeepsComingEndsTheRunAfterTheLastAttempt() throws Exception {
    probe.otherwise(exit(3));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(probe.calls()).hasSize(4);
    assertThat(run.finished("flaky@1").exitCode()).isEqualTo(3L);
    assertThat(run.result().message())
        .isEqualTo("step 'flaky' failed: non-zero-exit: exited with status 3");
  }

  @Test
  void aFailureOfAKindRetryingCannotHelpIsNotRetried() throws Exception {
    probe.replies(fail(FailureKind.AUTH, "permission denied"), succeed());

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(probe.calls()).hasSize(1);
    assertThat(run.finished("flaky@1").kind()).isEqualTo(FailureKind.AUTH);
    assertThat(kit.time().sleeps()).isEmpty();
  }
}
