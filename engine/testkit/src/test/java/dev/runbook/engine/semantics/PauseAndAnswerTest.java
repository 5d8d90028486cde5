package dev.runbook.engine.semantics;

import static dev.runbook.testkit.ScriptedAction.Reply.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.runbook.engine.Answer;
import dev.runbook.engine.Refused;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.Execution;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * A run that needs a person pauses when nobody can answer, and a resume with the answer goes on
 * from there without repeating what finished.
 */
class PauseAndAnswerTest extends ScriptedEngineTest {

  @Test
  void aNewAnswerGivenToResumeWinsOverTheNoTheRunPausedOn() throws Exception {
    kit.runbook(
        """
        runbook: CONFIRM
        title: A person's step
        steps:
          - {id: swap-disk, manual: Replace the failed disk.}
          - {id: done, end: resolved}
        """);

    Execution first = kit.run("CONFIRM").answer("swap-disk", "no").execute();
    assertThat(first.paused()).isTrue();
    assertThat(first.result().pausedAt()).isEqualTo("swap-disk@1");
    assertThat(first.result().accepted()).isEqualTo("yes or no");
    assertThat(RunSummary.of(first.directory()).status()).isEqualTo("paused");

    Execution resumed = kit.resume(first).answer("swap-disk", "yes", "disk 3 swapped").execute();

    assertThat(resumed.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(resumed.events(AuditEvent.Answered.class))
        .extracting(AuditEvent.Answered::answer, AuditEvent.Answered::note)
        .containsExactly(tuple("no", null), tuple("done", "disk 3 swapped"));
    assertThat(resumed.events(AuditEvent.RunFinished.class).get(0).outcome().label())
        .isEqualTo("resolved");
  }

  @Test
  void aQuestionPausesTheRunAndTheResumeDoesNotRepeatFinishedSteps() throws Exception {
    kit.runbook(
        """
        runbook: Q
        title: A question
        steps:
          - {id: check, probe: inbox}
          - id: restart-consumer
            ask: The inbox did not drain. Restart the consumer now?
            yes: restart
            no: {end: escalated, message: handed to the queue's owners}
          - {id: restart, probe: restart}
        """);
    probe.otherwise(stdout("3"));

    Execution first = kit.run("Q").execute();
    assertThat(first.paused()).isTrue();
    assertThat(first.result().pausedAt()).isEqualTo("restart-consumer@1");
    assertThat(first.events(AuditEvent.Paused.class).get(0).reason())
        .isEqualTo("waiting for a person's answer");

    // A unique prefix of the run id is enough.
    Execution resumed =
        kit.resume(first.runId().substring(0, 17)).answer("restart-consumer", "yes").execute();

    assertThat(resumed.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(probe.values()).containsExactly("inbox", "restart");
    assertThat(resumed.started()).containsOnlyOnce("check@1");
    assertThat(resumed.events(AuditEvent.Resumed.class))
        .singleElement()
        .satisfies(r -> assertThat(r.inDoubt()).isEmpty());
    assertThat(resumed.trailProblems()).isEmpty();

    Refused again =
        Assertions.catchThrowableOfType(Refused.class, () -> kit.resume(first).execute());
    assertThat(again.getMessage()).contains("run " + first.runId() + " already finished: resolved");
  }

  @Test
  void aPersonAtHandIsAskedWhenNoAnswerWasGivenUpFront() throws Exception {
    kit.runbook(
        """
        runbook: Q
        title: A question
        steps:
          - {id: periodic-check, ask: Is the alarm generated again?, yes: {end: escalated},
             no: {end: resolved}}
        """);

    Execution run =
        kit.run("Q")
            .interactive(
                question ->
                    Optional.of(new Answer("no", "terminal", "alice", "checked the console")))
            .execute();

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(run.events(AuditEvent.Answered.class))
        .extracting(AuditEvent.Answered::operator, AuditEvent.Answered::via)
        .containsExactly(tuple("alice", "terminal"));
  }
}
