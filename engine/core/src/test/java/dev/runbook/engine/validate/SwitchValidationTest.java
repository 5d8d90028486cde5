package dev.runbook.engine.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Multi-way branches ({@code switch:}, an {@code ask:} with {@code cases}), as validate sees them.
 */
class SwitchValidationTest {

  private static final String HEAD =
      """
      runbook: sw
      title: ntp, chrony or both
      params:
        Service: {type: string, default: ntp}
      steps:
      """;

  private static List<String> problems(String steps) {
    return TestRunbooks.problems(HEAD + steps);
  }

  private static final String ENDS =
      """
        - {id: use-ntp, manual: Follow the ntp steps., next: done}
        - {id: use-chrony, manual: Follow the chrony steps., next: done}
        - {id: ask-person, manual: Find out which service runs., next: done}
        - {id: done, end: resolved}
      """;

  @Test
  void aSwitchAndAnAskWithCasesAreValidAndEveryCaseLeadsSomewhere() {
    Runbook runbook =
        TestRunbooks.valid(
            HEAD
                + """
                  - id: which
                    ref: "3"
                    switch: params.Service.lowerAscii()
                    cases:
                      ntp: use-ntp
                      chrony: use-chrony
                      both: {end: escalated, message: both services run}
                    default: os
                  - id: os
                    ask: Which operating system does the node run?
                    cases: {SUSE: use-ntp, RHEL: use-chrony, EulerOS: use-chrony}
                    default: ask-person
                """
                + ENDS);
    Step which = runbook.steps().get(0);
    assertThat(which.cases().byLabel()).containsOnlyKeys("ntp", "chrony", "both");
    assertThat(which.cases().select("chrony"))
        .isEqualTo(new Branch.GoTo("use-chrony", which.cases().byLabel().get("chrony").position()));
    assertThat(which.cases().select("openntpd").describe()).isEqualTo("os");
    assertThat(runbook.steps().get(1).cases().answers())
        .containsExactly("SUSE", "RHEL", "EulerOS", "other");
  }

  @Test
  void aSwitchNeedsCasesAndADefault() {
    assertThat(
            problems(
                """
                  - id: which
                    switch: params.Service
                    cases: {ntp: done}
                  - {id: bare, switch: params.Service}
                  - {id: done, end: resolved}
                """))
        .containsExactly(
            "test.yaml:8:5: step 'which': 'cases' needs a 'default': where a value that is none"
                + " of the cases goes (a person picks it by answering 'other')",
            "test.yaml:9:5: step 'bare' can never be reached: no step in the main steps leads to"
                + " it",
            "test.yaml:9:16: step 'bare': a switch needs 'cases' (VALUE: step) and a 'default'");
  }

  @Test
  void everyCaseMustLeadToAStep() {
    assertThat(
            problems(
                """
                  - id: which
                    switch: params.Service
                    cases: {ntp: use-ntpp, chrony: use-chrony}
                    default: nowhere
                """
                    + ENDS))
        .containsExactly(
            "test.yaml:8:18: step 'which': case 'ntp' names no step 'use-ntpp' (did you mean"
                + " 'use-ntp'?)",
            "test.yaml:9:14: step 'which': 'default' names no step 'nowhere'",
            "test.yaml:12:5: step 'ask-person' can never be reached: no step in the main steps"
                + " leads to it");
  }

  @Test
  void duplicateCasesAreRefused() {
    assertThat(
            problems(
                """
                  - id: os
                    ask: Which operating system?
                    cases: {RHEL: done, SUSE: done, rhel: done, RHEL: done, Other: done}
                    default: done
                  - {id: done, end: resolved}
                """))
        .containsExactly(
            "test.yaml:8:37: step 'os': cases 'RHEL' and 'rhel' differ only in letter case, which"
                + " a person's answer does not tell apart",
            "test.yaml:8:49: step 'os': 'cases': duplicate key 'RHEL' (first at line 8)",
            "test.yaml:8:61: step 'os': no case may be called 'Other': 'other' is the answer that"
                + " takes 'default'");
  }

  @Test
  void casesDecideSoYesNoAndNextHaveNoMeaning() {
    assertThat(
            problems(
                """
                  - id: which
                    switch: params.Service
                    cases: {ntp: done}
                    default: done
                    yes: done
                    next: done
                  - id: how
                    manual: Look.
                    cases: {ntp: done}
                    default: done
                  - {id: lone, ask: Now?, default: done, yes: done, no: done}
                  - {id: done, end: resolved}
                """))
        .contains(
            "test.yaml:10:5: step 'which': 'yes' has no meaning on a switch step with 'cases' (they"
                + " decide, with 'default'); only if, ask, poll, call and foreach steps choose yes"
                + " or no",
            "test.yaml:11:5: step 'which': 'next' is never followed: 'cases' and 'default' decide",
            "test.yaml:14:5: step 'how': 'cases' applies only to switch and ask steps",
            "test.yaml:16:27: step 'lone': 'default' goes with 'cases': it is where a value that"
                + " is no case goes");
  }

  @Test
  void aSwitchValueIsTextANumberOrABool() {
    assertThat(
            problems(
                """
                  - id: which
                    switch: "[params.Service]"
                    cases: {ntp: done}
                    default: done
                  - {id: done, end: resolved}
                """))
        .containsExactly(
            "test.yaml:7:14: step 'which': 'switch': the value must be text, a number or a bool"
                + " (it is compared with the cases), but it is list");
  }

  @Test
  void aCycleThroughACaseNeedsABound() {
    assertThat(
            problems(
                """
                  - id: which
                    switch: params.Service
                    cases: {ntp: again}
                    default: done
                  - {id: again, manual: Check again., next: which}
                  - {id: done, end: resolved}
                """))
        .containsExactly(
            "test.yaml:6:5: steps 'which', 'again' form a cycle with no bound; give one of them"
                + " max_visits so every run ends");
  }
}
