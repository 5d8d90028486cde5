package dev.runbook.engine.semantics;

import static dev.runbook.testkit.ScriptedAction.Reply.block;
import static dev.runbook.testkit.ScriptedAction.Reply.exit;
import static dev.runbook.testkit.ScriptedAction.Reply.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.Execution;
import dev.runbook.testkit.Gate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code foreach} over hosts: one call of the procedure per item, N at a time, on its own host. */
class FanOutTest extends ScriptedEngineTest {

  private static final String FAN_OUT =
      """
      runbook: T
      title: fan-out
      params: {Hosts: {type: hosts, default: "a,b,c,d"}}
      targets: {node: {machine: "${inputs.host}"}}
      procedures:
        check:
          inputs: {host: {type: string, required: true}}
          steps:
            - {id: probe, on: node, probe: "${inputs.host}"}
      steps:
        - id: each
          foreach: ${params.Hosts}
          as: host
          parallel: %d
          call: check
          with: {host: "${host}"}
          on_failure: {end: escalated, message: an item failed}
      """;

  @Test
  void aFailingItemFailsTheFanOutAndOnFailureCatchesIt() throws Exception {
    kit.runbook(FAN_OUT.formatted(3));
    probe.repliesTo("c", exit(1));

    Execution run = kit.run("T").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.ESCALATED);
    assertThat(run.result().message()).isEqualTo("an item failed");
    assertThat(run.finished("each@1").message())
        .isEqualTo("1 of 4 items failed: c (probe: exited with status 1)");
    assertThat(run.events(AuditEvent.StepStarted.class))
        .filteredOn(s -> s.stepId().equals("probe"))
        .hasSize(4);
    assertThat(run.trailProblems()).isEmpty();
  }

  @Test
  void everyItemRunsOnItsOwnHostWithItsOwnValue() throws Exception {
    kit.runbook(FAN_OUT.formatted(3));

    Execution run = kit.run("T").param("Hosts", "n1,n2,n3").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(probe.calls())
        .extracting(c -> c.value() + " on " + c.target())
        .containsExactlyInAnyOrder(
            "n1 on n1 (machine)", "n2 on n2 (machine)", "n3 on n3 (machine)");
    assertThat(run.started())
        .contains("each@1[0]/probe@1", "each@1[1]/probe@1", "each@1[2]/probe@1");
    assertThat(run.finished("each@1").value()).isTrue();
  }

  @Test
  void parallelRunsThatManyItemsAtOnceAndNoMore() throws Exception {
    kit.runbook(FAN_OUT.formatted(2));
    Gate gate = new Gate();
    probe.otherwise(block(gate, succeed()));

    CompletableFuture<Execution> running = kit.run("T").start();
    // Two items at once: with one at a time the second never arrives while the first is held.
    gate.awaitArrived(2);
    assertThat(gate.inside()).isEqualTo(2);
    assertThat(probe.calls()).hasSize(2);
    gate.release();
    Execution run = running.get(Gate.LIMIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(probe.values()).containsExactlyInAnyOrder("a", "b", "c", "d");
    assertThat(gate.mostInside()).isEqualTo(2);
  }

  @Test
  void anEmptyListRunsTheProcedureZeroTimes() throws Exception {
    kit.runbook(FAN_OUT.formatted(2));

    Execution run = kit.run("T").param("Hosts", "").execute();

    assertThat(run.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(probe.calls()).isEmpty();
    assertThat(run.progress()).contains("each@1: no items: the procedure runs zero times");
  }
}
