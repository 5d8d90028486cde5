package dev.runbook.engine.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.ActionRequest;
import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.TestRuns;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs with {@code capture:}: the value a person gives is checked like a parameter, reaches later
 * steps as an environment variable and as a target, is recorded in the answer event (a secret one
 * as {@code ****}), and comes back from the trail when the run is resumed. Actions are the FAKE
 * command plugin's, which run nothing and record each request.
 */
class CaptureRunTest {

  private static final Runbook HOST =
      TestRunbooks.valid(
          """
          runbook: cap
          title: The host is learnt from the alarm's Location
          targets:
            alarm-host: {ssh: "${captured.AlarmHost}", user: omm}
          steps:
            - id: find-host
              ask: Which host is the alarm on (Location)?
              capture: {name: AlarmHost, type: host}
            - id: confirm
              manual: Log in to ${captured.AlarmHost} as omm.
            - id: check
              on: alarm-host
              cmd: ping -c1 ${captured.AlarmHost}
          """);

  @TempDir Path state;

  @BeforeEach
  void forget() {
    TestRunbooks.PLUGIN.executed.clear();
  }

  @Test
  void aCapturedHostIsTheTargetAndReachesTheCommandAsAVariable() {
    TestRuns.Finished run =
        TestRuns.run(
            state,
            HOST,
            Map.of(),
            TestRuns.answers(Map.of("find-host", " 10.0.0.5 ", "confirm", "done")));
    assertThat(run.result().outcome()).isEqualTo(Outcome.RESOLVED);
    ActionRequest request = TestRunbooks.PLUGIN.executed.get(0);
    assertThat(request.target().properties()).containsEntry("host", "10.0.0.5");
    assertThat(request.shell("command").script())
        .isEqualTo("ping -c1 \"${RB_CAPTURED_AlarmHost}\"");
    assertThat(request.shell("command").environment())
        .containsEntry("RB_CAPTURED_AlarmHost", "10.0.0.5");
    assertThat(run.events(AuditEvent.Answered.class))
        .extracting(AuditEvent.Answered::step, AuditEvent.Answered::answer)
        .containsExactly(Tuple.tuple("find-host@1", "10.0.0.5"), Tuple.tuple("confirm@1", "done"));
    assertThat(run.events(AuditEvent.Answered.class).get(1).question())
        .isEqualTo("Log in to 10.0.0.5 as omm.");
  }

  @Test
  void aValueThatIsNotAHostIsRefusedAndNothingRuns() {
    TestRuns.Finished run =
        TestRuns.run(
            state,
            HOST,
            Map.of(),
            TestRuns.answers(Map.of("find-host", "x; rm -rf /", "confirm", "done")));
    assertThat(run.result().paused()).isTrue();
    assertThat(run.result().pausedAt()).isEqualTo("find-host@1");
    assertThat(run.result().accepted()).isEqualTo("a host");
    assertThat(run.progress())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("answer 'x; rm -rf /' (test) is not valid: is not a host name"));
    assertThat(run.events(AuditEvent.Answered.class)).isEmpty();
    assertThat(TestRunbooks.PLUGIN.executed).isEmpty();
  }

  @Test
  void aResumedRunTakesTheCapturedValueFromItsTrail() {
    TestRuns.Finished first =
        TestRuns.run(state, HOST, Map.of(), TestRuns.answers(Map.of("find-host", "node-7")));
    assertThat(first.result().pausedAt()).isEqualTo("confirm@1");
    TestRuns.Finished resumed =
        TestRuns.resume(
            state,
            HOST,
            first.result().runId(),
            Map.of(),
            TestRuns.answers(Map.of("confirm", "y")));
    assertThat(resumed.result().outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(TestRunbooks.PLUGIN.executed.get(0).target().properties())
        .containsEntry("host", "node-7");
    assertThat(resumed.events(AuditEvent.Answered.class))
        .extracting(AuditEvent.Answered::answer)
        .containsExactly("node-7", "done");
  }

  private static final Runbook SECRET =
      TestRunbooks.valid(
          """
          runbook: sec
          title: A token read off a screen
          steps:
            - id: token
              ask: Type the one-time token shown on the console.
              capture: {name: Token, type: string, secret: true, pattern: "[A-Za-z0-9]{8,}"}
            - id: confirm
              manual: Keep the console open.
            - id: use
              cmd: login --token ${captured.Token} && echo ${captured.Token}
          """);

  @Test
  void aSecretCaptureIsMaskedInTheTrailAndAskedAgainOnResume() throws IOException {
    TestRuns.Finished first =
        TestRuns.run(state, SECRET, Map.of(), TestRuns.answers(Map.of("token", "Tok3nTok3n99")));
    assertThat(first.result().pausedAt()).isEqualTo("confirm@1");
    assertThat(first.events(AuditEvent.Answered.class).get(0).answer()).isEqualTo("****");

    TestRuns.Finished noToken =
        TestRuns.resume(
            state, SECRET, first.result().runId(), Map.of(), TestRuns.answers(Map.of()));
    assertThat(noToken.result().pausedAt()).isEqualTo("token@1");

    TestRuns.Finished resumed =
        TestRuns.resume(
            state,
            SECRET,
            first.result().runId(),
            Map.of(),
            TestRuns.answers(Map.of("token", "N3wTok3nN3w", "confirm", "yes")));
    assertThat(resumed.result().outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(TestRunbooks.PLUGIN.executed.get(0).shell("command").environment())
        .containsEntry("RB_CAPTURED_Token", "N3wTok3nN3w");
    String trail = Files.readString(resumed.dir().path().resolve("events.jsonl"));
    assertThat(trail).doesNotContain("Tok3n").contains("\"answer\":\"****\"");
  }

  @Test
  void aSecretThatDoesNotMatchItsPatternIsRefusedWithoutShowingIt() {
    TestRuns.Finished run =
        TestRuns.run(state, SECRET, Map.of(), TestRuns.answers(Map.of("token", "short!!")));
    assertThat(run.result().pausedAt()).isEqualTo("token@1");
    assertThat(String.join("\n", run.progress()))
        .contains("answer (secret) (test) is not valid: does not match the pattern")
        .doesNotContain("short!!");
  }

  @Test
  void conditionsReadACapturedIntAsAnInt() {
    Runbook runbook =
        TestRunbooks.valid(
            """
            runbook: port
            title: Which port
            steps:
              - id: port
                ask: Which port does the service listen on?
                capture: {name: Port, type: int}
              - id: privileged
                if: captured.Port < 1024
                yes: {end: escalated}
                no: {end: resolved}
            """);
    TestRuns.Finished run =
        TestRuns.run(state, runbook, Map.of(), TestRuns.answers(Map.of("port", "8080")));
    assertThat(run.result().outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(run.events(AuditEvent.Decision.class).get(0).values())
        .containsEntry("captured.Port", 8080);
  }

  @Test
  void aCapturedStringIsTakenAsTypedNotAsAYes() {
    Runbook runbook =
        TestRunbooks.valid(
            """
            runbook: word
            title: A word
            steps:
              - id: word
                ask: Which letter is on the label?
                capture: {name: Letter, type: string}
              - {id: use, cmd: "echo ${captured.Letter}"}
            """);
    TestRuns.run(state, runbook, Map.of(), TestRuns.answers(Map.of("word", "y")));
    assertThat(TestRunbooks.PLUGIN.executed.get(0).shell("command").environment())
        .containsEntry("RB_CAPTURED_Letter", "y");
  }
}
