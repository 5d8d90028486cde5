package dev.runbook.engine.semantics;

import static dev.runbook.testkit.ScriptedAction.Reply.stdout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.Execution;
import java.time.Duration;
import java.util.Collections;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@code sleep:} and polls ({@code until}, {@code every}, {@code timeout}), in fake time: every
 * attempt and every wait is where the clock says, exactly.
 */
class WaitAndPollTest extends ScriptedEngineTest {

  private static final String POLL =
      """
      runbook: T
      title: poll
      steps:
        - id: wait-ready
          probe: ready?
          until: result.stdout == '1'
          every: 100ms
          timeout: 500ms
      %s
      """;

  @Test
  void aPollWithoutANoBranchFailsWhenTimeRunsOut() throws Exception {
    kit.runbook(POLL.formatted(""));
    probe.otherwise(stdout("0"));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.FAILED);
    AuditEvent.StepFinished finished = run.finished("wait-ready@1");
    assertThat(finished.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(finished.message())
        .isEqualTo("condition 'result.stdout == '1'' not met within 500ms");
    // An attempt every 100 ms from 0 to 400; the one at 500 would be past the deadline.
    assertThat(run.events(AuditEvent.WaitProgress.class))
        .extracting(AuditEvent.WaitProgress::attempt, AuditEvent.WaitProgress::elapsedMs)
        .containsExactly(
            Tuple.tuple(1, 0L),
            Tuple.tuple(2, 100L),
            Tuple.tuple(3, 200L),
            Tuple.tuple(4, 300L),
            Tuple.tuple(5, 400L));
    assertThat(kit.time().sleeps()).isEqualTo(Collections.nCopies(4, Duration.ofMillis(100)));
  }

  @Test
  void aPollWithANoBranchTakesItWhenTimeRunsOut() throws Exception {
    kit.runbook(POLL.formatted("    no: {end: escalated, message: never ready}"));
    probe.otherwise(stdout("0"));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.ESCALATED);
    assertThat(run.finished("wait-ready@1").value()).isFalse();
    assertThat(run.finished("wait-ready@1").failed()).isFalse();
  }

  @Test
  void aPollStopsAsSoonAsItsConditionHolds() throws Exception {
    kit.runbook(POLL.formatted("    no: {end: escalated}"));
    probe.replies(stdout("0"), stdout("0"), stdout("1"));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(probe.calls()).hasSize(3);
    assertThat(run.finished("wait-ready@1").value()).isTrue();
    assertThat(kit.time().slept()).isEqualTo(Duration.ofMillis(200));
    assertThat(run.output())
        .containsExactly("wait-ready@1: 0", "wait-ready@1#2: 0", "wait-ready@1#3: 1");
  }

  @Test
  void aSleepWaitsItsWholeDurationAndRecordsItsProgress() throws Exception {
    kit.runbook(
        """
        runbook: T
        title: sleep
        steps:
          - {id: nap, sleep: 3s}
          - {id: after, probe: x}
        """);

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(kit.time().slept()).isEqualTo(Duration.ofSeconds(3));
    assertThat(run.events(AuditEvent.WaitProgress.class))
        .extracting(AuditEvent.WaitProgress::elapsedMs)
        .containsExactly(1000L, 2000L, 3000L);
    assertThat(
            run.between(
                e -> e instanceof AuditEvent.StepStarted s && s.step().equals("nap@1"),
                e -> e instanceof AuditEvent.StepStarted s && s.step().equals("after@1")))
        .isEqualTo(Duration.ofSeconds(3));
  }
}
