package dev.runbook.engine.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.TestRunbooks;
import org.junit.jupiter.api.Test;

/** Cases beyond the broken-runbook corpus (engine/cli/src/test/resources/broken). */
class RunbookValidatorTest {

  @Test
  void boundedCycleIsAllowed() {
    TestRunbooks.valid(
        """
        runbook: loop
        title: Approve pending CSRs until none are left
        steps:
          - id: pending
            cmd: oc get csr | grep -q Pending
            exit_codes: [0, 1]
            if: result.exitCode == 0
            yes: approve
            no: {end: resolved}
          - id: approve
            cmd: oc adm certificate approve x
            max_visits: 10
            next: pending
        """);
  }

  @Test
  void foreachBindsItsLoopVariableOnlyInWith() {
    TestRunbooks.valid(
        """
        runbook: fan
        title: Fan out
        params: {Hosts: {type: hosts, default: "a,b"}}
        targets: {node: {ssh: "${inputs.host}"}}
        procedures:
          check:
            inputs: {host: {type: host, required: true}}
            steps:
              - {id: up, on: node, cmd: uptime}
        steps:
          - id: each
            foreach: ${params.Hosts}
            as: host
            parallel: 5
            call: check
            with: {host: "${host}"}
        """);
  }

  @Test
  void sleepAcceptsOnlyDurationParameters() {
    assertThat(
            TestRunbooks.problems(
                """
                runbook: s
                title: Sleep
                params: {Wait: {type: int, default: 5}}
                steps:
                  - {id: a, sleep: "${params.Wait}"}
                """))
        .containsExactly(
            "test.yaml:5:21: step 'a': 'sleep' needs a duration, but parameter 'Wait' is of type int");
  }

  @Test
  void aMisspeltRequiredInputIsOneProblem() {
    assertThat(
            TestRunbooks.problems(
                """
                runbook: w
                title: With
                procedures:
                  p:
                    inputs: {node: {type: string, required: true}}
                    steps:
                      - {id: a, cmd: "echo ${inputs.node}"}
                steps:
                  - {id: go, call: p, with: {nod: x}}
                """))
        .containsExactly(
            "test.yaml:9:30: step 'go': procedure 'p' has no input 'nod' (did you mean 'node'?)");
  }

  private static String chain(int steps, String last) {
    StringBuilder yaml = new StringBuilder("runbook: long\ntitle: A generated chain\nsteps:\n");
    for (int i = 1; i <= steps; i++) {
      yaml.append("  - {id: s").append(i).append(", cmd: /bin/true");
      if (i == steps) {
        yaml.append(last);
      }
      yaml.append("}\n");
    }
    return yaml.toString();
  }

  @Test
  void aChainOfTenThousandStepsValidatesWithoutOverflowingTheStack() {
    // The cycle check once recursed once per step: 3,000 steps overflowed the thread's stack.
    assertThat(TestRunbooks.problems(chain(10_000, ""))).isEmpty();
  }

  @Test
  void anUnboundedCycleThroughTenThousandStepsIsStillFound() {
    assertThat(TestRunbooks.problems(chain(10_000, ", next: s1")))
        .singleElement()
        .asString()
        .isEqualTo(
            "test.yaml:4:5: steps 's1', 's2', 's3', 's4', 's5', … and 9995 more form a cycle with"
                + " no bound; give one of them max_visits so every run ends");
  }
}
