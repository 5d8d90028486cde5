package dev.runbook.engine.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.model.Runbook;
import org.junit.jupiter.api.Test;

/**
 * Library files of shared procedures, and runbooks that use them: calls are checked across files
 * (unknown procedure, missing or unknown input, the type of a literal), and a library is checked on
 * its own for what a library may not do.
 */
class SharedProceduresValidationTest {

  static final String MRS_COMMON =
      """
      library: mrs-common
      title: Procedures the MRS alarm runbooks share
      procedures:
        wait-then-check-cleared:
          doc: Waits, then asks whether the alarm is cleared; yes when it is.
          inputs:
            alarm: {type: string, required: true}
            wait: {type: duration, default: 0s}
          steps:
            - {id: wait, sleep: "${inputs.wait}"}
            - id: cleared
              ask: Is alarm ${inputs.alarm} cleared?
              yes: {return: yes}
              no: {return: no}
        collect-fault-information:
          inputs:
            node: {type: target, required: true}
            minutes: {type: int, default: 10}
          steps:
            - {id: logs, on: "${inputs.node}", cmd: "collect --minutes ${inputs.minutes}"}
            - {id: again, call: wait-then-check-cleared, with: {alarm: after-collection}}
      """;

  private static String runbook(String steps) {
    return """
        runbook: ALM-12012
        title: NTP time offset
        uses: [mrs-common]
        targets:
          active: {ssh: n1, user: omm}
        steps:
        """
        + steps;
  }

  @Test
  void aRunbookCallsALibrarysProceduresByTheirQualifiedNames() {
    Runbook linked =
        TestRunbooks.validWith(
            runbook(
                """
                  - id: cleared-5
                    ref: "7"
                    call: mrs-common.wait-then-check-cleared
                    with: {alarm: ALM-12012, wait: 5m}
                    yes: {end: resolved}
                    no: collect
                  - id: collect
                    call: mrs-common.collect-fault-information
                    with: {node: active, minutes: 30}
                """),
            MRS_COMMON);
    assertThat(linked.uses())
        .singleElement()
        .satisfies(u -> assertThat(u.file()).isEqualTo("lib-1.yaml"));
    dev.runbook.engine.model.StepKind inner =
        linked.procedure("mrs-common.collect-fault-information").steps().get(1).kind();
    assertThat(((dev.runbook.engine.model.StepKind.Call) inner).procedure())
        .as("a call between a library's procedures is qualified when the runbook is linked")
        .isEqualTo("mrs-common.wait-then-check-cleared");
  }

  @Test
  void callsAreCheckedAgainstTheLibrarysProcedures() {
    assertThat(
            TestRunbooks.problemsWith(
                runbook(
                    """
                      - id: a
                        call: mrs-common.wait-cleared
                      - id: b
                        call: mrs-common.wait-then-check-cleared
                        with: {wait: soon}
                      - id: c
                        call: mrs-common.collect-fault-information
                        with: {node: standby, minutes: many, hosts: all}
                    """),
                MRS_COMMON))
        .containsExactly(
            "test.yaml:8:11: step 'a': no procedure 'mrs-common.wait-cleared'; library"
                + " 'mrs-common' has wait-then-check-cleared, collect-fault-information",
            "test.yaml:10:11: step 'b': procedure 'mrs-common.wait-then-check-cleared' needs"
                + " input 'alarm' in 'with'",
            "test.yaml:11:18: step 'b': input wait (duration) of procedure"
                + " 'mrs-common.wait-then-check-cleared': 'soon' is not a duration; write it like"
                + " 30s, 5m, 1h30m",
            "test.yaml:14:18: step 'c': input 'node' names no target 'standby'",
            "test.yaml:14:36: step 'c': input minutes (int) of procedure"
                + " 'mrs-common.collect-fault-information': 'many' must be a whole number",
            "test.yaml:14:42: step 'c': procedure 'mrs-common.collect-fault-information' has no"
                + " input 'hosts'");
  }

  @Test
  void aFanOutCallsALibraryProcedureAndItsInputsAreCheckedToo() {
    assertThat(
            TestRunbooks.problemsWith(
                runbook(
                    """
                      - id: each
                        foreach: [ALM-1, ALM-2]
                        as: a
                        call: mrs-common.wait-then-check-cleared
                        with: {alarm: "${a}", wait: 1m}
                      - id: each-wrong
                        foreach: [ALM-1]
                        as: a
                        call: mrs-common.wait-then-check-cleared
                        with: {alarm: "${a}", wait: soon}
                    """),
                MRS_COMMON))
        .containsExactly(
            "test.yaml:16:33: step 'each-wrong': input wait (duration) of procedure"
                + " 'mrs-common.wait-then-check-cleared': 'soon' is not a duration; write it like"
                + " 30s, 5m, 1h30m");
  }

  @Test
  void anUnknownLibraryIsNamedWithTheClosestOne() {
    assertThat(
            TestRunbooks.problemsWith(
                """
                runbook: X
                title: uses a misspelt library
                uses: [mrs-comon]
                steps:
                  - {id: a, call: mrs-comon.wait-then-check-cleared, with: {alarm: X}}
                  - {id: b, call: other.thing}
                """,
                MRS_COMMON))
        .containsExactly(
            "test.yaml:3:8: uses: no library 'mrs-comon' (did you mean 'mrs-common'?); a library"
                + " file says 'library: mrs-comon' at its top level, beside the runbooks or in"
                + " their directory",
            "test.yaml:6:19: step 'b': no procedure 'other.thing'; to call a procedure of library"
                + " 'other', name the library in 'uses:' ('uses: [other]')");
  }

  @Test
  void aLibraryIsCheckedOnItsOwn() {
    assertThat(TestRunbooks.libraryProblems(MRS_COMMON)).isEmpty();
  }

  @Test
  void aLibraryHasNoParametersTargetsOrCaptures() {
    assertThat(
            TestRunbooks.libraryProblems(
                """
                library: bad
                procedures:
                  p:
                    steps:
                      - {id: a, on: active, cmd: "echo ${params.HostName} ${captured.AlarmHost}"}
                      - id: b
                        ask: Which host?
                        capture: {name: AlarmHost, type: host}
                      - {id: c, call: nowhere}
                  with.dot:
                    steps:
                      - {id: d, end: resolved}
                """))
        .containsExactly(
            "lib.yaml:5:21: step 'a': 'on' names no target 'active'; a library declares no"
                + " targets: take the target as an input of type target (on: ${inputs.NODE}),"
                + " named by the runbook that calls it",
            "lib.yaml:5:40: step 'a': input 'command': '${params.HostName}': a library procedure"
                + " sees only its inputs (it has no parameters and captures nothing); take the"
                + " value as an input, given by the runbook that calls it",
            "lib.yaml:5:59: step 'a': input 'command': '${captured.AlarmHost}': a library"
                + " procedure sees only its inputs (it has no parameters and captures nothing);"
                + " take the value as an input, given by the runbook that calls it",
            "lib.yaml:8:25: step 'b': a library procedure cannot capture a value: the runbook"
                + " that calls it could not read it; capture it in the runbook",
            "lib.yaml:9:23: step 'c': no procedure 'nowhere'",
            "lib.yaml:10:3: procedure name 'with.dot' in a library may hold only letters,"
                + " digits, '_' and '-': a runbook calls it as bad.with-dot");
  }

  @Test
  void aLibraryFileNeedsANameAndProcedures() {
    assertThat(TestRunbooks.libraryProblems("library: empty\ntitle: nothing in it\n"))
        .containsExactly("lib.yaml:1:1: library file: missing required field 'procedures'");
  }
}
