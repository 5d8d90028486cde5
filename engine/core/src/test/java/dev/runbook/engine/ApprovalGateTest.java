package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.model.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approval policy of runs an alert starts: the run pauses before its first step that changes
 * the system, a person's yes (recorded with who gave it) lets it and later changes run, a no ends
 * it escalated with nothing changed. Runs the real engine with the FAKE command plugin.
 */
class ApprovalGateTest {

  private static final String RUNBOOK =
      """
      runbook: GATE-1
      title: Read, then change twice
      alarms: [GATE-1]
      steps:
        - {id: read, cmd: cat /etc/hostname, changes: false}
        - {id: first-change, title: Restart it, cmd: systemctl restart x, changes: true}
        - {id: second-change, cmd: systemctl restart y}
        - {id: done, end: resolved}
      """;

  @TempDir Path dir;

  private Engine engine() throws Exception {
    Path library = Files.createDirectories(dir.resolve("runbooks"));
    Files.writeString(library.resolve("gate.yaml"), RUNBOOK);
    return Engine.builder().runbooks(List.of(library)).stateDir(dir.resolve("state")).build();
  }

  private static final RunRequest.Operator SERVER = new RunRequest.Operator("runbook-serve", "svc");

  private static RunRequest request(RunRequest.Approval approval) {
    return new RunRequest(
        "GATE-1", Map.of(), List.of(), Answerer.NOBODY, Duration.ZERO, SERVER, approval, null);
  }

  private static List<String> started(Engine engine, String runId) throws Exception {
    return AuditTrail.read(engine.findRun(runId)).events().stream()
        .filter(AuditEvent.StepStarted.class::isInstance)
        .map(e -> ((AuditEvent.StepStarted) e).stepId())
        .toList();
  }

  private static RunResult answer(Engine engine, String runId, String step, String value)
      throws Exception {
    return engine.resume(
        new ResumeRequest(
            runId,
            Map.of(),
            List.of(
                new RunRequest.GivenAnswers(
                    "api", Map.of(step, new Answer(value, "api", "alice", "from 127.0.0.1")))),
            Answerer.NOBODY,
            Duration.ZERO,
            false,
            new RunRequest.Operator("alice", "svc")),
        new RunListener() {});
  }

  @Test
  void pausesBeforeTheFirstChangeAndAnApprovalLetsEveryChangeRun() throws Exception {
    Engine engine = engine();
    RunResult paused =
        engine.run(request(RunRequest.Approval.BEFORE_FIRST_CHANGE), new RunListener() {});
    assertThat(paused.paused()).isTrue();
    assertThat(paused.pausedAt()).isEqualTo("first-change@1");
    assertThat(started(engine, paused.runId())).containsExactly("read");

    RunResult done = answer(engine, paused.runId(), "first-change@1", "yes");
    assertThat(done.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(started(engine, paused.runId()))
        .containsExactly("read", "first-change", "second-change", "done");
    List<AuditEvent> events = AuditTrail.read(engine.findRun(paused.runId())).events();
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.Answered a && a.approval())
        .singleElement()
        .satisfies(
            e -> {
              AuditEvent.Answered a = (AuditEvent.Answered) e;
              assertThat(a.step()).isEqualTo("first-change@1");
              assertThat(a.operator()).isEqualTo("alice");
              assertThat(a.via()).isEqualTo("api");
              assertThat(a.answer()).isEqualTo("yes");
            });
    assertThat(events.get(0))
        .isInstanceOfSatisfying(
            AuditEvent.RunStarted.class,
            s -> assertThat(s.approval()).isEqualTo("before-first-change"));
  }

  @Test
  void aNoEndsTheRunEscalatedWithNothingChanged() throws Exception {
    Engine engine = engine();
    RunResult paused =
        engine.run(request(RunRequest.Approval.BEFORE_FIRST_CHANGE), new RunListener() {});
    RunResult refused = answer(engine, paused.runId(), "first-change", "no");
    assertThat(refused.outcome()).isEqualTo(Outcome.ESCALATED);
    assertThat(refused.message()).contains("was not approved (by alice)");
    assertThat(started(engine, paused.runId())).containsExactly("read");
  }

  @Test
  void aResumeWithoutAnApprovalStaysPaused() throws Exception {
    Engine engine = engine();
    RunResult paused =
        engine.run(request(RunRequest.Approval.BEFORE_FIRST_CHANGE), new RunListener() {});
    RunResult again =
        engine.resume(
            new ResumeRequest(
                paused.runId(),
                Map.of(),
                List.of(),
                Answerer.NOBODY,
                Duration.ZERO,
                false,
                new RunRequest.Operator("bob", "svc")),
            new RunListener() {});
    assertThat(again.paused()).isTrue();
    assertThat(started(engine, paused.runId())).containsExactly("read");
  }

  @Test
  void withoutThePolicyEveryStepRuns() throws Exception {
    Engine engine = engine();
    RunResult result = engine.run(request(RunRequest.Approval.NONE), new RunListener() {});
    assertThat(result.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(started(engine, result.runId()))
        .containsExactly("read", "first-change", "second-change", "done");
  }
}
