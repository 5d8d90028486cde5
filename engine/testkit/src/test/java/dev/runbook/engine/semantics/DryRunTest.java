package dev.runbook.engine.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Plan;
import dev.runbook.engine.PlannedStep;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dry-run: every step, or the one path assumed answers select; it runs nothing. */
class DryRunTest extends ScriptedEngineTest {

  @BeforeEach
  void runbook() {
    kit.runbook(
        """
                runbook: T
                title: renew
                params: {Host: {type: host, required: true}}
                targets: {active: {machine: "${params.Host}", user: omm}}
                steps:
                  - {id: read, on: active, probe: cert}
                  - id: still-valid
                    if: int(steps.read.stdout) > 30
                    yes: done
                    no: renew
                  - {id: renew, on: active, probe: renew}
                  - id: cleared
                    ask: Is the alarm cleared?
                    yes: done
                    no: escalate
                  - {id: escalate, end: escalated}
                  - {id: done, end: resolved}
                """);
  }

  @Test
  void assumedAnswersSelectOnePathAndNothingRuns() throws Exception {
    Plan plan =
        kit.dryRun("T")
            .param("Host", "node-1")
            .assume("still-valid", "no")
            .assume("cleared", "no")
            .plan();

    assertThat(plan.steps())
        .extracting(PlannedStep::id)
        .containsExactly("read", "still-valid", "renew", "cleared", "escalate");
    assertThat(plan.pathEnd()).isEqualTo("end: escalated");
    assertThat(plan.steps().get(2).target()).isEqualTo("omm@node-1 (machine)");
    assertThat(plan.steps().get(2).command()).isEqualTo("probe renew");
    assertThat(probe.calls()).isEmpty();
    assertThat(probe.previews()).extracting(c -> c.value()).contains("renew");
    assertThat(kit.runs()).isEmpty();
  }

  @Test
  void anotherAnswerSelectsAnotherPath() throws Exception {
    Plan plan = kit.dryRun("T").param("Host", "node-1").assume("still-valid", "yes").plan();

    assertThat(plan.steps())
        .extracting(PlannedStep::id)
        .containsExactly("read", "still-valid", "done");
    assertThat(plan.pathEnd()).isEqualTo("end: resolved");
  }

  @Test
  void withoutAssumptionsEveryStepIsShownWithItsBranchesAndMissingValuesAreNoted()
      throws Exception {
    Plan plan = kit.dryRun("T").plan();

    assertThat(plan.steps())
        .extracting(PlannedStep::id)
        .containsExactly("read", "still-valid", "renew", "cleared", "escalate", "done");
    assertThat(plan.steps().get(1).branches())
        .containsEntry("yes", "done")
        .containsEntry("no", "renew");
    assertThat(plan.pathEnd()).isNull();
    assertThat(plan.unresolved()).contains("params.Host");
    assertThat(probe.calls()).isEmpty();
    assertThat(kit.runs()).isEmpty();
  }
}
