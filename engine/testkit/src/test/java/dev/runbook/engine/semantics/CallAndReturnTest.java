package dev.runbook.engine.semantics;

import static dev.runbook.testkit.ScriptedAction.Reply.stdout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.Execution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code call:} a procedure with inputs, and the {@code return:} value that picks the branch. */
class CallAndReturnTest extends ScriptedEngineTest {

  @BeforeEach
  void runbook() {
    kit.runbook(
        """
                runbook: T
                title: call
                procedures:
                  check:
                    inputs: {node: {type: string, required: true}}
                    steps:
                      - id: read
                        probe: "${inputs.node}"
                        if: result.stdout == 'ok'
                        yes: {return: yes}
                        no: second-look
                      - {id: second-look, probe: "again ${inputs.node}"}
                steps:
                  - id: renew
                    call: check
                    with: {node: node-1}
                    yes: {end: resolved, message: renewed}
                    no: {end: escalated, message: not renewed}
                """);
  }

  @Test
  void aReturnYesTakesTheCallsYesBranch() throws Exception {
    probe.repliesTo("node-1", stdout("ok"));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(run.result().message()).isEqualTo("renewed");
    assertThat(run.started()).containsExactly("renew@1", "renew@1/read@1");
    assertThat(run.finished("renew@1").value()).isTrue();
    assertThat(probe.values()).containsExactly("node-1");
  }

  @Test
  void fallingOffTheEndOfAProcedureReturnsYes() throws Exception {
    probe.repliesTo("node-1", stdout("no"));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(run.started()).containsExactly("renew@1", "renew@1/read@1", "renew@1/second-look@1");
    assertThat(probe.values()).containsExactly("node-1", "again node-1");
    AuditEvent.Decision decision = run.events(AuditEvent.Decision.class).get(0);
    assertThat(decision.step()).isEqualTo("renew@1/read@1");
    assertThat(decision.values()).containsEntry("result.stdout", "no");
    assertThat(decision.branch()).isEqualTo("second-look");
  }

  @Test
  void aReturnNoTakesTheCallsNoBranch() throws Exception {
    kit.runbook(
        "runbook-1.yaml",
        """
        runbook: T
        title: call
        procedures:
          check:
            steps:
              - {id: read, probe: x, if: "result.stdout == 'ok'", yes: {return: yes}, no: {return: no}}
        steps:
          - {id: renew, call: check, yes: {end: resolved}, no: {end: escalated, message: not renewed}}
        """);
    probe.replies(stdout("expired"));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.ESCALATED);
    assertThat(run.finished("renew@1").value()).isFalse();
  }

  @Test
  void aMissingValueFailsTheStepBeforeAnythingRunsInsteadOfItsPlaceholder() throws Exception {
    kit.runbook(
        "runbook-1.yaml",
        """
        runbook: T
        title: t
        params:
          Other: {type: string}
        procedures:
          use:
            inputs: {v: {type: string}}
            steps:
              - {id: write, probe: "${inputs.v}"}
        steps:
          - id: pass-param
            call: use
            with: {v: "${params.Other}"}
            on_failure: pass-step
          - id: pass-step
            call: use
            with: {v: "${steps.never.stdout}"}
            on_failure: {end: failed, message: both refused}
          - {id: never, probe: never}
        """);

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(probe.calls()).isEmpty();
    assertThat(run.events(AuditEvent.StepFinished.class))
        .extracting(AuditEvent.StepFinished::message)
        .contains("no value for params.Other (give it with -p NAME=VALUE)")
        .contains("no value for steps.never.stdout");
    assertThat(run.events(AuditEvent.CommandRendered.class)).isEmpty();
  }

  @Test
  void aProcedureInputIsCheckedLikeAParameterWhenTheCallIsMade() throws Exception {
    kit.runbook(
        "runbook-1.yaml",
        """
        runbook: T
        title: t
        params:
          Node: {type: string, required: true}
        procedures:
          p:
            inputs: {host: {type: host}}
            steps: [{id: s, probe: "${inputs.host}"}]
        steps:
          - {id: c, call: p, with: {host: "${params.Node}"}}
        """);

    Execution run = kit.run("T").param("Node", "x; y").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(probe.calls()).isEmpty();
    AuditEvent.StepFinished call = run.finished("c@1");
    assertThat(call.kind()).isEqualTo(FailureKind.CONFIG);
    assertThat(call.message()).contains("input host (host) of procedure 'p': 'x; y' is not a host");
  }
}
