package dev.runbook.engine.semantics;

import static dev.runbook.testkit.ScriptedAction.Reply.exit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.Execution;
import org.junit.jupiter.api.Test;

/** {@code max_visits}: every loop ends, and the visit past the bound is a failure of its own. */
class MaxVisitsTest extends ScriptedEngineTest {

  @Test
  void aLoopThatDoesNotConvergeStopsAtMaxVisits() throws Exception {
    probe.otherwise(exit(0));
    kit.runbook(
        """
                runbook: T
                title: loop
                steps:
                  - id: pending
                    probe: csr
                    if: result.exitCode == 0
                    yes: approve
                    no: {end: resolved}
                  - id: approve
                    probe: approve
                    max_visits: 3
                    next: pending
                """);

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(run.result().message())
        .isEqualTo(
            "step 'approve' failed: limit-reached: step 'approve' would run a 4th time, more than"
                + " its max_visits (3): the loop did not converge");
    assertThat(run.events(AuditEvent.RunFinished.class).get(0).message())
        .isEqualTo(run.result().message());
    AuditEvent.StepFinished fourth = run.finished("approve@4");
    assertThat(fourth.kind()).isEqualTo(FailureKind.LIMIT_REACHED);
    // The 4th visit is refused before its action runs: three approvals, four checks.
    assertThat(probe.callsFor("approve")).isEqualTo(3);
    assertThat(probe.callsFor("csr")).isEqualTo(4);
  }

  @Test
  void aLoopThroughAPersonEndsAtItsBoundAndLeadsToTheDocumentsFallback() throws Exception {
    kit.runbook(
        """
                runbook: T
                title: t
                steps:
                  - id: wait-and-check
                    ask: Is the alarm cleared?
                    max_visits: 3
                    yes: {end: resolved}
                    no: wait-and-check
                    on_failure: contact-om
                  - {id: contact-om, ref: "8", end: escalated, message: contact O&M}
                """);

    Execution run = kit.run("T").answer("wait-and-check", "no").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.ESCALATED);
    assertThat(run.result().message()).isEqualTo("contact O&M");
    AuditEvent.StepFinished refused =
        run.events(AuditEvent.StepFinished.class).stream()
            .filter(AuditEvent.StepFinished::failed)
            .findFirst()
            .orElseThrow();
    assertThat(refused.step()).isEqualTo("wait-and-check@4");
    assertThat(refused.failureKind()).isEqualTo("limit-reached");
    assertThat(refused.message()).contains("'wait-and-check'").contains("max_visits (3)");
    assertThat(run.events(AuditEvent.Answered.class))
        .extracting(AuditEvent.Answered::step)
        .containsExactly("wait-and-check@1", "wait-and-check@2", "wait-and-check@3");
  }
}
