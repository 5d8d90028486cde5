package dev.runbook.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.TestRunbooks;
import org.junit.jupiter.api.Test;

/** Rules of the format the broken-runbook corpus (engine/cli) does not show on their own. */
class FormatRulesTest {

  @Test
  void boolsAreTrueOrFalseAndNumbersAreUnquoted() {
    assertThat(
            TestRunbooks.problems(
                """
                runbook: t
                title: YAML 1.2 scalars
                steps:
                  - id: a
                    cmd: uptime
                    idempotent: no
                    changes: "true"
                    max_visits: "3"
                    exit_codes: [0, "1"]
                """))
        .containsExactly(
            "test.yaml:6:17: step 'a': 'idempotent' must be true or false, not 'no'",
            "test.yaml:7:14: step 'a': 'changes' must be true or false, not the quoted string"
                + " \"true\" (drop the quotes)",
            "test.yaml:8:17: step 'a': 'max_visits' must be a whole number of at least 1, not the"
                + " quoted string \"3\" (drop the quotes)",
            "test.yaml:9:21: step 'a': 'exit_codes' holds the quoted string \"1\" (drop the"
                + " quotes); exit codes are whole numbers from 0 to 255");
  }

  @Test
  void returnAndBranchesKeepTheirYesAndNo() {
    TestRunbooks.valid(
        """
        runbook: t
        title: yes and no
        procedures:
          p:
            steps:
              - id: ask
                ask: Fixed?
                yes: {return: yes}
                no: done
              - {id: done, return: no}
        steps:
          - {id: a, call: p}
        """);
  }

  @Test
  void referencesInsideMultiLineValuesPointAtTheirOwnLine() {
    assertThat(
            TestRunbooks.problems(
                """
                runbook: t
                title: positions
                steps:
                  - id: a
                    cmd: >
                      echo one
                      two ${params.X}
                  - id: b
                    cmd: echo one
                      two ${params.Y}
                  - id: c
                    cmd: |
                      echo
                      ${params.Z
                """))
        .containsExactly(
            "test.yaml:7:11: step 'a': input 'command': unknown parameter 'X'",
            "test.yaml:10:11: step 'b': input 'command': unknown parameter 'Y'",
            "test.yaml:14:7: '${' is never closed with '}'");
  }

  @Test
  void kubectlSettingsBelongInsideTheKubectlMapping() {
    assertThat(
            TestRunbooks.problems(
                """
                runbook: t
                title: kubectl
                targets:
                  jump: {local: true}
                  k: {kubectl: {context: admin}, via: jump}
                  k2: {kubectl: {via: jumpp, binary: oc}}
                steps:
                  - {id: a, cmd: uptime}
                """))
        .containsExactly(
            "test.yaml:5:34: target 'k': 'via' belongs inside the 'kubectl:' mapping",
            "test.yaml:6:23: target 'k2': 'via' names no target 'jumpp' (did you mean 'jump'?)");
  }

  @Test
  void yamlSyntaxErrorsAreInPlainWords() {
    assertThat(TestRunbooks.problems("runbook: t\ntitle: a: b\n"))
        .containsExactly(
            "test.yaml:2:9: YAML syntax: ':' is not allowed here; quote a value that holds ': ',"
                + " or check the indentation");
    assertThat(TestRunbooks.problems("runbook: t\ntitle: 'open\nsteps: []\n"))
        .containsExactly(
            "test.yaml:2:8: YAML syntax: unclosed quoted string: no closing ''' before the end of"
                + " the file");
  }

  @Test
  void aBrokenParameterOrTargetIsReportedOnce() {
    assertThat(
            TestRunbooks.problems(
                """
                runbook: t
                title: once
                params:
                  Host: [a, b]
                targets:
                  x: {sssh: h}
                steps:
                  - {id: a, on: x, cmd: "echo ${params.Host}"}
                """))
        .containsExactly(
            "test.yaml:4:9: parameter 'Host' must be a mapping, not a list",
            "test.yaml:6:3: target 'x' must have exactly one of kubectl, local, ssh (did you mean"
                + " 'ssh'?)");
  }
}
