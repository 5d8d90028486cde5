package dev.runbook.engine.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.model.Captures;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Runbook;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code capture:} on ask and manual steps, and {@code ${captured.NAME}}, as validate sees them.
 */
class CaptureValidationTest {

  private static final String HEAD =
      """
      runbook: cap
      title: A value learnt mid-procedure
      targets:
        alarm-host: {ssh: "${captured.AlarmHost}", user: omm}
      steps:
      """;

  /** Without the target that reads AlarmHost: for runbooks that capture no AlarmHost. */
  private static final String PLAIN_HEAD =
      """
      runbook: cap
      title: A value learnt mid-procedure
      targets:
        elsewhere: {ssh: n1, user: omm}
      steps:
      """;

  private static List<String> problems(String steps) {
    return TestRunbooks.problems(HEAD + steps);
  }

  @Test
  void aCapturedHostIsUsedInACommandATargetAndACondition() {
    Runbook runbook =
        TestRunbooks.valid(
            HEAD
                + """
                  - id: find-host
                    ask: Which host is the alarm on (Location)?
                    capture: {name: AlarmHost, type: host}
                  - id: port
                    manual: Read the port from the service's page and enter it.
                    capture: {name: Port, type: int}
                  - id: check
                    on: alarm-host
                    cmd: ss -ltn | grep ${captured.Port} && ping -c1 ${captured.AlarmHost}
                  - id: high
                    if: captured.Port > 1024 && captured.AlarmHost != ""
                    yes: {end: resolved}
                    no: {end: escalated}
                """);
    Captures captures = Captures.of(runbook);
    assertThat(captures.types())
        .containsExactly(Map.entry("AlarmHost", ParamType.HOST), Map.entry("Port", ParamType.INT));
    assertThat(captures.capturedBy("Port")).isEqualTo("port");
  }

  @Test
  void aReferenceToNoCaptureIsNamedWithTheClosestCapture() {
    assertThat(
            problems(
                """
                  - id: find-host
                    ask: Which host?
                    capture: {name: AlarmHost, type: host}
                  - {id: use, cmd: "ping ${captured.AlarmHots}"}
                """))
        .containsExactly(
            "test.yaml:9:26: step 'use': input 'command': no step captures 'AlarmHots' (did you"
                + " mean 'AlarmHost'?)");
  }

  @Test
  void aValueReadBeforeTheStepThatCapturesItIsRefused() {
    assertThat(
            problems(
                """
                  - {id: early, cmd: "ping ${captured.AlarmHost}"}
                  - id: find-host
                    ask: Which host?
                    capture: {name: AlarmHost, type: host}
                """))
        .containsExactly(
            "test.yaml:6:28: step 'early': ${captured.AlarmHost} may have no value here: a path"
                + " from the first step reaches this step without passing step 'find-host',"
                + " which captures it");
  }

  @Test
  void aTargetThatReadsACapturedValueIsReadByTheStepsOnIt() {
    assertThat(
            problems(
                """
                  - {id: early, on: alarm-host, cmd: uptime}
                  - id: find-host
                    ask: Which host?
                    capture: {name: AlarmHost, type: host}
                """))
        .containsExactly(
            "test.yaml:6:21: step 'early': ${captured.AlarmHost} may have no value here: a path"
                + " from the first step reaches this step without passing step 'find-host',"
                + " which captures it");
  }

  @Test
  void capturedOnOneBranchOnlyIsNotSurelyCaptured() {
    assertThat(
            problems(
                """
                  - id: known
                    ask: Does the alarm name its host?
                    yes: find-host
                    no: check
                  - id: find-host
                    ask: Which host?
                    capture: {name: AlarmHost, type: host}
                  - {id: check, cmd: "ping ${captured.AlarmHost}"}
                """))
        .containsExactly(
            "test.yaml:13:28: step 'check': ${captured.AlarmHost} may have no value here: a path"
                + " from the first step reaches this step without passing step 'find-host',"
                + " which captures it");
  }

  @Test
  void capturedOnEveryBranchIsSurelyCaptured() {
    TestRunbooks.valid(
        HEAD
            + """
              - id: known
                ask: Is it the active node?
                yes: active
                no: standby
              - id: active
                ask: Which is the active node?
                capture: {name: AlarmHost, type: host}
                next: check
              - id: standby
                manual: Find the standby node on the Instances page.
                capture: {name: AlarmHost, type: host}
              - {id: check, on: alarm-host, cmd: uptime}
            """);
  }

  @Test
  void aLoopBackToTheCaptureKeepsTheValue() {
    TestRunbooks.valid(
        HEAD
            + """
              - id: find-host
                ask: Which host?
                capture: {name: AlarmHost, type: host}
                max_visits: 3
              - {id: check, on: alarm-host, cmd: uptime}
              - id: right
                ask: Was ${captured.AlarmHost} the right host?
                yes: {end: resolved}
                no: find-host
            """);
  }

  @Test
  void onFailureOfTheCapturingStepLeadsWithoutTheValue() {
    assertThat(
            problems(
                """
                  - id: find-host
                    ask: Which host for ${captured.AlarmHost}?
                    capture: {name: AlarmHost, type: host}
                    on_failure: use
                  - {id: use, cmd: "ping ${captured.AlarmHost}"}
                """))
        .containsExactly(
            "test.yaml:7:25: step 'find-host': ${captured.AlarmHost} may have no value here: a"
                + " path from the first step reaches this step without passing step 'find-host',"
                + " which captures it",
            "test.yaml:10:26: step 'use': ${captured.AlarmHost} may have no value here: a path"
                + " from the first step reaches this step without passing step 'find-host',"
                + " which captures it");
  }

  @Test
  void aProcedureThatReadsACapturedValueIsCheckedAtEachCall() {
    String yaml =
        """
        runbook: cap
        title: A procedure reads what the main steps captured
        procedures:
          ping:
            steps:
              - {id: p, cmd: "ping ${captured.AlarmHost}"}
        steps:
          - {id: too-early, call: ping}
          - id: find-host
            ask: Which host?
            capture: {name: AlarmHost, type: host}
          - {id: fine, call: ping}
        """;
    assertThat(TestRunbooks.problems(yaml))
        .containsExactly(
            "test.yaml:8:21: step 'too-early': procedure 'ping' (line 6) reads"
                + " ${captured.AlarmHost}, which may have no value here: a path from the first"
                + " step reaches this step without passing step 'find-host', which captures it");
  }

  @Test
  void aValueCapturedInAProcedureIsThereAfterTheCall() {
    TestRunbooks.valid(
        """
        runbook: cap
        title: A procedure captures on every way back
        procedures:
          find:
            steps:
              - id: q
                ask: Which host?
                capture: {name: AlarmHost, type: host}
        steps:
          - {id: find-it, call: find}
          - {id: use, cmd: "ping ${captured.AlarmHost}"}
        """);
  }

  @Test
  void captureIsTypedAsParametersAreAndOnlyOnAskAndManual() {
    assertThat(
            TestRunbooks.problems(
                PLAIN_HEAD
                    + """
                  - id: q
                    ask: Which?
                    capture: {name: bad-name, type: bool, pattern: "[a-z]+", colour: red}
                  - id: s
                    ask: Which port?
                    capture: {name: Pw, type: int, secret: true}
                  - {id: w, sleep: 1s, capture: {name: X}}
                """))
        .containsExactly(
            "test.yaml:8:21: step 'q': capture name 'bad-name' must be an identifier (letters,"
                + " digits, '_'), so later steps can say ${captured.bad_name}",
            "test.yaml:8:37: step 'q': 'capture': unknown type 'bool'; use one of string, host,"
                + " hosts, int, path",
            "test.yaml:8:62: step 'q': 'capture': unknown field 'colour'",
            "test.yaml:11:36: step 's': 'secret' applies only to string captures, not to int",
            "test.yaml:12:24: step 'w': 'capture' applies only to ask and manual steps");
  }

  @Test
  void aCapturingAskGoesOnWithNextNotYesAndNo() {
    assertThat(
            problems(
                """
                  - id: q
                    ask: Which host?
                    capture: {name: AlarmHost, type: host}
                    yes: {end: resolved}
                  - {id: done, end: resolved}
                """))
        .containsExactly(
            "test.yaml:9:5: step 'q': 'yes' has no meaning on a question step that captures a"
                + " value (it goes on with 'next'); only if, ask, poll, call and foreach steps"
                + " choose yes or no");
  }

  @Test
  void theSameNameCapturedTwiceMustBeCapturedTheSameWay() {
    assertThat(
            problems(
                """
                  - id: a
                    ask: Which host?
                    capture: {name: AlarmHost, type: host}
                  - id: b
                    ask: Which port?
                    capture: {name: AlarmHost, type: int}
                """))
        .containsExactly(
            "test.yaml:11:21: step 'b': captures 'AlarmHost' as a int, but step 'a' (line 8)"
                + " captures it as a host; capture it the same way, or give it another name");
  }

  @Test
  void theLockCannotHoldACapturedValue() {
    assertThat(
            TestRunbooks.problems(
                """
                runbook: cap
                title: Lock
                lock: host/${captured.AlarmHost}
                steps:
                  - id: find-host
                    ask: Which host?
                    capture: {name: AlarmHost, type: host}
                """))
        .containsExactly(
            "test.yaml:3:12: lock: the lock is taken before the first step runs, so it cannot"
                + " hold '${captured.AlarmHost}', which a step captures; key it on a parameter");
  }

  @Test
  void conditionsSeeCapturedValuesWithTheirTypes() {
    assertThat(
            TestRunbooks.problems(
                PLAIN_HEAD
                    + """
                  - id: port
                    ask: Which port?
                    capture: {name: Port, type: int}
                  - id: high
                    if: captured.Port == "8080" || captured.Prot > 1
                    yes: {end: resolved}
                    no: {end: escalated}
                """))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("'==' does not apply to (int, string)"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        "test.yaml:10:36: step 'high': 'if': no step captures 'Prot' (did you"
                            + " mean 'Port'?)"));
  }

  @Test
  void aCapturedValueHasNoFields() {
    assertThat(
            problems(
                """
                  - id: find-host
                    ask: Which host?
                    capture: {name: AlarmHost, type: host}
                  - {id: use, cmd: "ping ${captured.AlarmHost.ip}"}
                """))
        .containsExactly(
            "test.yaml:9:26: step 'use': input 'command': '${captured.AlarmHost.ip}': a captured"
                + " value is one value, with no fields; write ${captured.AlarmHost}");
  }
}
