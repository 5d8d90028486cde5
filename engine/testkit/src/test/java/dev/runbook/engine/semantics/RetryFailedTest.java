package dev.runbook.engine.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Refused;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.model.Outcome;
import dev.runbook.testkit.Execution;
import dev.runbook.testkit.ScriptedAction;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** A run that failed for lack of a value goes on from its failed step, with the value. */
class RetryFailedTest extends ScriptedEngineTest {

  @Test
  void aRunThatFailedForLackOfAValueContinuesFromItsFailedStep() throws Exception {
    ScriptedAction work = plugin.action("work");
    kit.runbook(
        """
                runbook: R
                title: t
                params:
                  Host: {type: host}
                steps:
                  - {id: first, work: once}
                  - {id: use, work: "${params.Host}"}
                """);

    Execution failed = kit.run("R").execute();
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(work.values()).containsExactly("once");

    Refused refused =
        Assertions.catchThrowableOfType(
            Refused.class, () -> kit.resume(failed).param("Host", "node-7").execute());
    assertThat(refused.reason()).isEqualTo(Refused.Reason.NOT_RESUMABLE);
    assertThat(refused.getMessage()).contains("retry");

    Execution retried = kit.resume(failed).retryFailed().param("Host", "node-7").execute();
    assertThat(retried.outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(work.values()).containsExactly("once", "node-7");
    assertThat(retried.events(AuditEvent.Resumed.class).get(0).retry()).isEqualTo("use@1");
    // The retry follows the failed run.finished, the one thing allowed after it: the trail
    // verifies.
    assertThat(retried.trailProblems()).isEmpty();
  }
}
