package dev.runbook.engine.semantics;

import static dev.runbook.testkit.ScriptedAction.Reply.block;
import static dev.runbook.testkit.ScriptedAction.Reply.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Refused;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.Execution;
import dev.runbook.testkit.Gate;
import dev.runbook.testkit.ScriptedAction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** {@code lock:}: no two runs of one change at once, whatever the case of the host name. */
class LockTest extends ScriptedEngineTest {

  @Test
  void aSecondRunOfTheSameLockIsRefusedWhileTheFirstRunsAndStartsAfterIt() throws Exception {
    ScriptedAction hold = plugin.action("hold");
    kit.runbook(
        """
                runbook: T
                title: locked
                lock: host/${params.Host}
                params: {Host: {type: host, required: true}}
                steps:
                  - {id: hold, hold: "${params.Host}"}
                """);
    Gate gate = new Gate();
    hold.replies(block(gate, succeed()));

    CompletableFuture<Execution> first = kit.run("T").param("Host", "node-1").start();
    gate.awaitArrived(1);
    // Lock keys compare host names as hosts: NODE-1. is node-1.
    Refused refused =
        Assertions.catchThrowableOfType(
            Refused.class, () -> kit.run("T").param("Host", "NODE-1.").execute());
    assertThat(refused.reason()).isEqualTo(Refused.Reason.LOCK_HELD);
    assertThat(refused.getMessage())
        .startsWith("lock 'host/node-1' is held by a new run of T by tester on testkit-host (pid ");
    assertThat(kit.runs()).hasSize(1);
    gate.release();
    assertThat(first.get(Gate.LIMIT.toSeconds(), TimeUnit.SECONDS).outcome())
        .isEqualTo(Outcome.RESOLVED);

    Execution second = kit.run("T").param("Host", "NODE-1").execute();
    assertThat(second.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(hold.values()).containsExactly("node-1", "NODE-1");
  }
}
