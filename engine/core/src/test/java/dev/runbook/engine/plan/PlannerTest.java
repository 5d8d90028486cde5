package dev.runbook.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Plan;
import dev.runbook.engine.PlannedStep;
import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.model.Runbook;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static final Runbook RUNBOOK =
      TestRunbooks.valid(
          """
          runbook: CERT-1
          title: Certificate about to expire
          lock: cert/${params.Host}
          params:
            Host: {type: host, required: true}
            Standby: {type: host}
            Password: {type: string, secret: true}
            Wait: {type: duration, default: 1m}
          targets:
            active: {ssh: "${params.Host}", user: omm}
            standby: {ssh: "${params.Standby}", user: omm}
          procedures:
            renew:
              inputs: {node: {type: target, required: true}}
              steps:
                - id: regenerate
                  on: ${inputs.node}
                  cmd: sh proceed.sh --password ${params.Password}
                  on_failure: {return: no}
                - {id: pause, sleep: "${params.Wait}"}
                - id: cleared
                  on: ${inputs.node}
                  cmd: openssl x509 -checkend 2592000 -in server.crt
                  exit_codes: [0, 1]
                  if: result.exitCode == 0
                  yes: {return: yes}
                  no: {return: no}
          steps:
            - id: renew-active
              ref: "6-7"
              call: renew
              with: {node: active}
              yes: done
              no: renew-standby
            - id: renew-standby
              ref: "8"
              call: renew
              with: {node: standby}
              yes: done
              no: {end: escalated}
            - id: done
              ask: Is the alarm generated again?
              yes: {end: escalated}
              no: {end: resolved}
          """);

  private static Plan plan(Map<String, String> params, Map<String, String> assumptions) {
    TestRunbooks.PLUGIN.executed.clear();
    Plan plan = new Planner(TestRunbooks.REGISTRY).plan(RUNBOOK, params, assumptions);
    assertThat(TestRunbooks.PLUGIN.executed).as("a plan never executes an action").isEmpty();
    return plan;
  }

  @Test
  void wholeGraphExpandsEachCallWithItsOwnTarget() {
    Plan plan =
        plan(Map.of("Host", "node-1", "Standby", "node-2", "Password", "hunter2"), Map.of());
    assertThat(plan.lock()).isEqualTo("cert/node-1");
    assertThat(plan.steps())
        .extracting(PlannedStep::id)
        .containsExactly("renew-active", "renew-standby", "done");
    PlannedStep active = plan.steps().get(0);
    assertThat(active.call()).isEqualTo("renew (node=active)");
    assertThat(active.body().get(0).target()).isEqualTo("omm@node-1 (ssh)");
    assertThat(plan.steps().get(1).body().get(0).target()).isEqualTo("omm@node-2 (ssh)");
    assertThat(active.body().get(0).command())
        .isEqualTo("sh proceed.sh --password \"${RB_PARAM_Password}\"");
    assertThat(active.body().get(0).environment())
        .containsExactly(Map.entry("RB_PARAM_Password", "****"));
    assertThat(active.body().get(0).branches())
        .containsEntry("on_failure", "return: no")
        .containsEntry("next", "pause");
    assertThat(active.body().get(1).detail()).isEqualTo("wait 1m");
    assertThat(active.branches())
        .containsExactly(Map.entry("yes", "done"), Map.entry("no", "renew-standby"));
    assertThat(plan.params())
        .extracting(Plan.PlannedParam::value)
        .containsExactly("node-1", "node-2", "****", "1m");
    assertThat(plan.toString()).doesNotContain("hunter2");
  }

  @Test
  void assumptionsSelectOnePathThroughCallsAndQuestions() {
    Plan plan =
        plan(Map.of("Host", "node-1", "Standby", "node-2"), Map.of("cleared", "no", "done", "no"));
    assertThat(plan.steps())
        .extracting(PlannedStep::id)
        .containsExactly("renew-active", "renew-standby");
    assertThat(plan.pathEnd()).isEqualTo("end: escalated");
    Plan cleared = plan(Map.of("Host", "node-1"), Map.of("cleared", "yes", "done", "no"));
    assertThat(cleared.steps()).extracting(PlannedStep::id).containsExactly("renew-active", "done");
    assertThat(cleared.pathEnd()).isEqualTo("end: resolved");
  }

  @Test
  void pathStopsWhereADecisionHasNoAnswer() {
    Plan plan = plan(Map.of("Host", "node-1"), Map.of("cleared", "yes"));
    assertThat(plan.pathEnd())
        .isEqualTo("stops at 'done': decide with --assume done=yes or --assume done=no");
  }

  @Test
  void missingValuesAreShownNotGuessed() {
    Plan plan = plan(Map.of("Host", "node-1"), Map.of());
    assertThat(plan.steps().get(1).body().get(0).target()).isEqualTo("omm@<params.Standby> (ssh)");
    assertThat(plan.unresolved()).contains("params.Standby", "params.Password");
  }
}
