package dev.runbook.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.InputValue;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import org.junit.jupiter.api.Test;

class RunbookParserTest {

  private static final String ALARM =
      """
      runbook: ALM-1
      title: Something is wrong
      alarms: [ALM-1, "1"]
      params:
        Host: {type: host, required: true}
      targets:
        node: {ssh: "${params.Host}", user: omm}
      steps:
        - id: check
          ref: "2"
          on: node
          cmd: test -f /etc/ok
          exit_codes: [0, 1]
          if: result.exitCode == 0
          yes: {end: resolved, message: fine}
          no: ask-person
        - id: ask-person
          ask: Is it fixed?
          yes: done
          no: {end: escalated}
        - {id: done, end: resolved}
      """;

  @Test
  void readsYesAndNoAsKeysNotBooleans() {
    Runbook runbook = TestRunbooks.valid(ALARM);
    Step check = runbook.steps().get(0);
    assertThat(check.yes()).isInstanceOf(Branch.EndRun.class);
    assertThat(((Branch.EndRun) check.yes()).outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(((Branch.EndRun) check.yes()).message()).isEqualTo("fine");
    assertThat(check.no()).isEqualTo(new Branch.GoTo("ask-person", check.no().position()));
  }

  @Test
  void keepsPositionsOfStepsAndFields() {
    Runbook runbook = TestRunbooks.valid(ALARM);
    Step ask = runbook.steps().get(1);
    assertThat(ask.position().toString()).isEqualTo("test.yaml:17:5");
    assertThat(ask.positionOf("ask").toString()).isEqualTo("test.yaml:18:5");
    assertThat(ask.kind()).isInstanceOf(StepKind.Ask.class);
  }

  @Test
  void scalarActionValueFillsTheShorthandInput() {
    StepKind.ActionCall call =
        (StepKind.ActionCall) TestRunbooks.valid(ALARM).steps().get(0).kind();
    assertThat(call.action()).isEqualTo("cmd");
    assertThat(((InputValue.Scalar) call.inputs().get("command")).value().raw())
        .isEqualTo("test -f /etc/ok");
    assertThat(call.exitCodes()).containsExactly(0, 1);
    assertThat(call.condition().expression()).isEqualTo("result.exitCode == 0");
  }

  @Test
  void readsMetadata() {
    Runbook runbook = TestRunbooks.valid(ALARM);
    assertThat(runbook.id()).isEqualTo("ALM-1");
    assertThat(runbook.alarms()).containsExactly("ALM-1", "1");
    assertThat(runbook.answersTo("1")).isTrue();
    assertThat(runbook.answersTo("alm-1")).isTrue();
    assertThat(runbook.answersTo("2")).isFalse();
    assertThat(runbook.contentHash()).hasSize(64);
    assertThat(runbook.targets()).containsKeys("local", "node");
    assertThat(runbook.targets().get("node").settings().get("host").raw())
        .isEqualTo("${params.Host}");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThat(
            TestRunbooks.problems(
                """
                runbook: x
                titel: typo
                steps:
                  - id: a
                    nxt: b
                    cmd: true
                  - id: a
                    end: resolvd
                """))
        .containsExactly(
            // 'titel' is the one mistake: 'title' is not also reported missing
            "test.yaml:2:1: runbook file: unknown field 'titel' (did you mean 'title'?)",
            "test.yaml:5:5: step 'a': unknown field or action 'nxt' (did you mean 'next'?)",
            "test.yaml:7:5: duplicate step id 'a' (first at line 4)",
            "test.yaml:8:10: step 'a': unknown outcome 'resolvd' (did you mean 'resolved'?); use one of resolved, escalated, failed");
  }
}
