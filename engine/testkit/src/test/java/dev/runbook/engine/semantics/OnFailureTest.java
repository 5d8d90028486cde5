package dev.runbook.engine.semantics;

import static dev.runbook.testkit.ScriptedAction.Reply.exit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.Execution;
import org.junit.jupiter.api.Test;

/** {@code on_failure}: where a failed step leads instead of ending the run failed. */
class OnFailureTest extends ScriptedEngineTest {

  @Test
  void anOptionalParameterLeftOutFailsOnlyTheStepThatNeedsIt() throws Exception {
    kit.runbook(
        """
        runbook: T
        title: optional
        params: {Standby: {type: host}}
        targets: {standby: {machine: "${params.Standby}"}}
        steps:
          - {id: here, probe: here}
          - id: there
            on: standby
            probe: there
            on_failure: {end: escalated, message: no standby given}
        """);

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.ESCALATED);
    assertThat(run.result().message()).isEqualTo("no standby given");
    assertThat(run.finished("here@1").failed()).isFalse();
    assertThat(run.finished("there@1").kind()).isEqualTo(FailureKind.CONFIG);
    assertThat(run.finished("there@1").message())
        .isEqualTo("no value for params.Standby (give it with -p NAME=VALUE)");
    assertThat(probe.values()).containsExactly("here");
  }

  @Test
  void aFailedStepGoesOnAtItsOnFailureStep() throws Exception {
    kit.runbook(
        """
        runbook: T
        title: t
        steps:
          - {id: restart, probe: restart, on_failure: collect-logs}
          - {id: check, probe: check}
          - {id: done, end: resolved}
          - {id: collect-logs, probe: logs, next: escalate}
          - {id: escalate, end: escalated, message: restart failed}
        """);
    probe.repliesTo("restart", exit(2));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.ESCALATED);
    assertThat(probe.values()).containsExactly("restart", "logs");
    assertThat(run.started()).containsExactly("restart@1", "collect-logs@1", "escalate@1");
    assertThat(run.finished("restart@1").exitCode()).isEqualTo(2L);
  }

  @Test
  void withoutOnFailureAFailedStepEndsTheRunFailedNamingIt() throws Exception {
    kit.runbook(
        """
        runbook: T
        title: t
        steps:
          - {id: restart, probe: restart}
          - {id: check, probe: check}
        """);
    probe.repliesTo("restart", exit(2));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(run.result().message())
        .isEqualTo("step 'restart' failed: non-zero-exit: exited with status 2");
    assertThat(probe.values()).containsExactly("restart");
  }
}
