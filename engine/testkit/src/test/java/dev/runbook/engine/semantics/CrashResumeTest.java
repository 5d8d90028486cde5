package dev.runbook.engine.semantics;

import static dev.runbook.testkit.ScriptedAction.Reply.crash;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.EngineTestKit;
import dev.runbook.testkit.Execution;
import dev.runbook.testkit.ScriptedAction;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resuming a run the engine's death cut off ({@link dev.runbook.testkit.SimulatedCrash}: nothing
 * more reaches the trail, as after a SIGKILL): a step cut off is run again by itself only when it
 * is idempotent, otherwise only when a person says so; a wait sleeps only what is left of it. The
 * real SIGKILL of a real engine process is {@code engine/cli}'s {@code CrashResumeIT}.
 */
class CrashResumeTest extends ScriptedEngineTest {

  private final ScriptedAction work = plugin.action("work");

  @BeforeEach
  void runbook() {
    kit.runbook(
        """
                runbook: CRASH-1
                title: Steps the engine's death can cut off
                lock: crash/${params.Dir}
                params: {Dir: {type: path, required: true}, Nap: {type: duration, default: 0s}}
                steps:
                  - {id: first, work: first}
                  - {id: nap, sleep: "${params.Nap}"}
                  - {id: unsafe, work: unsafe}
                  - {id: safe, idempotent: true, work: safe}
                  - {id: last, work: last}
                """);
  }

  private Execution start() throws Exception {
    return kit.run("CRASH-1").param("Dir", "/srv/x").execute();
  }

  @Test
  void aNonIdempotentStepCutOffIsNotRunAgainWithoutAPersonSayingSo() throws Exception {
    work.repliesTo("unsafe", crash());
    Execution crashed = start();
    assertThat(crashed.crashed()).isTrue();
    assertThat(crashed.started()).endsWith("unsafe@1");
    assertThat(RunSummary.of(crashed.directory()).status()).isEqualTo("stopped");
    // Each line is written whole: nothing is cut off, and the verifier says so.
    assertThat(crashed.trailProblems()).isEmpty();

    Execution paused = kit.resume(crashed).execute();
    assertThat(paused.paused()).isTrue();
    assertThat(paused.result().pausedAt()).isEqualTo("unsafe@1");
    assertThat(paused.result().message())
        .contains("Step 'unsafe' was running when the run stopped");
    assertThat(work.values()).containsExactly("first", "unsafe");

    Execution resumed = kit.resume(crashed).answer("unsafe", "yes").execute();
    assertThat(resumed.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(work.values()).containsExactly("first", "unsafe", "unsafe", "safe", "last");
    assertThat(resumed.events(AuditEvent.Resumed.class).get(0).inDoubt())
        .containsExactly("unsafe@1");
    assertThat(resumed.events())
        .contains(
            new AuditEvent.Answered(
                "unsafe@1",
                "Step 'unsafe' was running when the run stopped, so it may or may not have taken"
                    + " effect, and it is not marked idempotent. Run it again? (no: count it as"
                    + " failed)",
                "run again",
                kit.operator(),
                EngineTestKit.VIA,
                null,
                "tester"));
    assertThat(resumed.trailProblems()).isEmpty();
  }

  @Test
  void anIdempotentStepCutOffRunsAgainByItself() throws Exception {
    work.repliesTo("safe", crash());
    Execution crashed = start();

    Execution resumed = kit.resume(crashed).execute();

    assertThat(resumed.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(work.values()).containsExactly("first", "unsafe", "safe", "safe", "last");
    assertThat(resumed.events(AuditEvent.Answered.class)).isEmpty();
    assertThat(resumed.trailProblems()).isEmpty();
  }

  @Test
  void answeringNoCountsTheCutOffStepAsFailed() throws Exception {
    work.repliesTo("unsafe", crash());
    Execution crashed = start();

    Execution resumed = kit.resume(crashed).answer("unsafe", "no").execute();

    assertThat(resumed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(resumed.result().message())
        .isEqualTo(
            "step 'unsafe' failed: interrupted: cut off by a crash and not run again (operator's"
                + " answer)");
    assertThat(work.values()).containsExactly("first", "unsafe");
  }

  @Test
  void aRunKilledDuringASleepSleepsOnlyTheRestAfterResume() throws Exception {
    // The engine dies at the nap's second chunk: one second of the four has passed.
    kit.time().crashAtSleep(2);
    Execution crashed = kit.run("CRASH-1").param("Dir", "/srv/x").param("Nap", "4s").execute();
    assertThat(crashed.crashed()).isTrue();
    assertThat(crashed.events(AuditEvent.WaitProgress.class))
        .extracting(AuditEvent.WaitProgress::elapsedMs)
        .containsExactly(1000L);
    kit.time().advance(Duration.ofMillis(500)); // until someone resumes it

    Execution resumed = kit.resume(crashed).execute();

    assertThat(resumed.outcome()).isEqualTo(Outcome.RESOLVED);
    Predicate<AuditEvent> napStarted =
        e -> e instanceof AuditEvent.StepStarted s && s.step().equals("nap@1");
    Predicate<AuditEvent> resumedAt = e -> e instanceof AuditEvent.Resumed;
    Predicate<AuditEvent> napFinished =
        e -> e instanceof AuditEvent.StepFinished f && f.step().equals("nap@1");
    Duration passed = resumed.between(napStarted, resumedAt);
    assertThat(passed).isEqualTo(Duration.ofMillis(1500));
    // Only the rest of the nap is slept, all of it: a resume that skipped it, slept it all
    // again, or counted from its own start fails here.
    assertThat(resumed.between(resumedAt, napFinished))
        .isEqualTo(Duration.ofSeconds(4).minus(passed));
    assertThat(work.values()).containsExactly("first", "unsafe", "safe", "last");
  }
}
