package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.model.Runbook;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers given before a run are checked against the questions they answer. */
class GivenAnswerCheckTest {

  private static final Runbook RUNBOOK =
      TestRunbooks.valid(
          """
          runbook: cap
          title: Answers up front
          steps:
            - id: find-host
              ask: Which host?
              capture: {name: AlarmHost, type: host}
            - id: token
              ask: Which token?
              capture: {name: Token, type: string, secret: true}
            - {id: again, ask: Is it back?, yes: {end: escalated}, no: {end: resolved}}
          """);

  private static RunRequest.GivenAnswers given(String step, String value) {
    return new RunRequest.GivenAnswers("--answer", Map.of(step, new Answer(value, "-", "-", null)));
  }

  @Test
  void aHostThatIsNotAHostRefusesTheRunNamingTheStepAndTheType() {
    assertThatThrownBy(() -> GivenAnswerCheck.check(RUNBOOK, given("find-host", "x; rm -rf /")))
        .isInstanceOf(Refused.class)
        .hasMessage(
            "--answer find-host: step 'find-host' captures AlarmHost (host): 'x; rm -rf /' is not"
                + " a host name or address (letters, digits, '.', '-', ':' only, not starting"
                + " with '-')");
  }

  @Test
  void aSecretIsNeverRepeatedInTheRefusal() {
    assertThatThrownBy(() -> GivenAnswerCheck.check(RUNBOOK, given("token", "abc")))
        .hasMessageStartingWith(
            "--answer token: step 'token' captures Token (string): the value is 3")
        .hasMessageNotContaining("abc");
  }

  @Test
  void aYesNoQuestionTakesOnlyYesOrNo() throws Refused {
    assertThatThrownBy(() -> GivenAnswerCheck.check(RUNBOOK, given("again", "maybe")))
        .hasMessage("--answer again: the answer must be yes or no, not 'maybe'");
    GivenAnswerCheck.check(RUNBOOK, given("again", "Y"));
    GivenAnswerCheck.check(RUNBOOK, given("find-host", " 10.0.0.5 "));
    assertThat(GivenAnswerCheck.stepId("call@1/find-host@2")).isEqualTo("find-host");
  }
}
