package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.model.Runbook;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --assume STEP=ANSWER}: yes or no, or a case of a multi-way step (or other). */
class AssumptionsTest {

  private static final Runbook RUNBOOK =
      TestRunbooks.valid(
          """
          runbook: sw
          title: Assumptions
          params: {Service: {type: string, default: ntp}}
          steps:
            - id: which
              switch: params.Service
              cases: {ntp: os, chrony: os}
              default: os
            - id: os
              ask: Which operating system?
              cases: {SUSE: again, RHEL: again}
              default: again
            - {id: again, ask: Is it back?, yes: {end: escalated}, no: {end: resolved}}
          """);

  @Test
  void casesAreMatchedInAnyLetterCaseAndYesNoAsBefore() throws Refused {
    assertThat(Assumptions.check(RUNBOOK, Map.of("which", "Chrony", "os", "rhel", "again", "true")))
        .containsEntry("which", "chrony")
        .containsEntry("os", "RHEL")
        .containsEntry("again", "yes");
    assertThat(Assumptions.check(RUNBOOK, Map.of("os", "OTHER"))).containsEntry("os", "other");
  }

  @Test
  void anAnswerThatIsNoCaseIsRefusedWithTheCases() {
    assertThatThrownBy(() -> Assumptions.check(RUNBOOK, Map.of("which", "chronyd")))
        .isInstanceOf(Refused.class)
        .hasMessage(
            "--assume which=chronyd: the answer must be one of ntp, chrony, other (did you mean"
                + " 'chrony'?)");
    assertThatThrownBy(() -> Assumptions.check(RUNBOOK, Map.of("again", "chrony")))
        .hasMessage("--assume again=chrony: the answer must be yes or no");
    assertThatThrownBy(() -> Assumptions.check(RUNBOOK, Map.of("whihc", "ntp")))
        .hasMessage("--assume whihc: runbook sw has no step 'whihc' (did you mean 'which'?)");
  }

  @Test
  void anAnswerToAMultiWayQuestionIsCheckedBeforeTheRun() throws Refused {
    RunRequest.GivenAnswers debian =
        new RunRequest.GivenAnswers(
            "answers-file", Map.of("os", new Answer("Debian", "-", "-", null)));
    assertThatThrownBy(() -> GivenAnswerCheck.check(RUNBOOK, debian))
        .hasMessage("answers-file os: the answer must be one of SUSE, RHEL, other, not 'Debian'");
    GivenAnswerCheck.check(
        RUNBOOK,
        new RunRequest.GivenAnswers("--answer", Map.of("os", new Answer("suse", "-", "-", null))));
  }
}
