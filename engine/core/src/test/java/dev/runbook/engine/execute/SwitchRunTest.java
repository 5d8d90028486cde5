package dev.runbook.engine.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.TestRuns;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Runbook;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-way branches in a run: a switch's value picks a case or the default and the trail's
 * decision says which; a person picks a case of an ask (or {@code other}); a resumed run takes the
 * recorded case.
 */
class SwitchRunTest {

  private static final Runbook RUNBOOK =
      TestRunbooks.valid(
          """
          runbook: sw
          title: ntp, chrony or both
          params:
            Service: {type: string, required: true}
          steps:
            - id: which-service
              switch: params.Service.trim().lowerAscii()
              cases:
                ntp: {end: resolved, message: ntp}
                chrony: {end: resolved, message: chrony}
                both: {end: escalated, message: both}
              default: which-os
            - id: which-os
              ask: Which operating system does the node run?
              cases:
                SUSE: {end: resolved, message: SUSE}
                RHEL: confirm
              default: {end: escalated, message: no procedure for this OS}
            - id: confirm
              manual: Follow the RHEL variant.
            - {id: done, end: resolved, message: RHEL}
          """);

  @TempDir Path state;

  @Test
  void theSwitchsValuePicksItsCaseAndTheTrailSaysWhich() {
    TestRuns.Finished run =
        TestRuns.run(state, RUNBOOK, Map.of("Service", " Chrony "), TestRuns.answers(Map.of()));
    assertThat(run.result().outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(run.result().message()).isEqualTo("chrony");
    AuditEvent.Decision decision = run.events(AuditEvent.Decision.class).get(0);
    assertThat(decision.chosen()).isEqualTo("chrony");
    assertThat(decision.value()).isTrue();
    assertThat(decision.branch()).isEqualTo("end: resolved (chrony)");
    assertThat(decision.values()).containsEntry("params.Service", " Chrony ");
    assertThat(run.events(AuditEvent.StepFinished.class).get(0).result())
        .containsEntry("case", "chrony");
  }

  @Test
  void aValueThatIsNoCaseTakesTheDefault() {
    TestRuns.Finished run =
        TestRuns.run(
            state,
            RUNBOOK,
            Map.of("Service", "timesyncd"),
            TestRuns.answers(Map.of("which-os", "suse")));
    assertThat(run.result().message()).isEqualTo("SUSE");
    AuditEvent.Decision decision = run.events(AuditEvent.Decision.class).get(0);
    assertThat(decision.value()).isFalse();
    assertThat(decision.chosen()).isEqualTo("timesyncd");
    assertThat(decision.branch()).isEqualTo("which-os");
    assertThat(run.events(AuditEvent.Answered.class).get(0).answer()).isEqualTo("SUSE");
  }

  @Test
  void aPersonAnsweringOtherTakesTheDefault() {
    TestRuns.Finished run =
        TestRuns.run(
            state, RUNBOOK, Map.of("Service", "x"), TestRuns.answers(Map.of("which-os", "Other")));
    assertThat(run.result().outcome()).isEqualTo(Outcome.ESCALATED);
    assertThat(run.result().message()).isEqualTo("no procedure for this OS");
  }

  @Test
  void anAnswerThatIsNoCasePausesTheRunSayingWhichAreAccepted() {
    TestRuns.Finished run =
        TestRuns.run(
            state, RUNBOOK, Map.of("Service", "x"), TestRuns.answers(Map.of("which-os", "Debian")));
    assertThat(run.result().pausedAt()).isEqualTo("which-os@1");
    assertThat(run.result().accepted()).isEqualTo("one of SUSE, RHEL, other");
    assertThat(run.progress())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "'Debian' (test) is not valid: the answer must be one of SUSE, RHEL,"));
  }

  @Test
  void aResumedRunTakesTheRecordedCase() {
    TestRuns.Finished first =
        TestRuns.run(
            state, RUNBOOK, Map.of("Service", "x"), TestRuns.answers(Map.of("which-os", "RHEL")));
    assertThat(first.result().pausedAt()).isEqualTo("confirm@1");
    TestRuns.Finished resumed =
        TestRuns.resume(
            state,
            RUNBOOK,
            first.result().runId(),
            Map.of("Service", "x"),
            TestRuns.answers(Map.of("confirm", "yes", "which-os", "SUSE")));
    assertThat(resumed.result().outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(resumed.result().message()).isEqualTo("RHEL");
    assertThat(resumed.events(AuditEvent.Answered.class))
        .extracting(AuditEvent.Answered::answer)
        .containsExactly("RHEL", "done");
  }
}
