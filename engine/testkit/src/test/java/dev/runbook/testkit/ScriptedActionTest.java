package dev.runbook.testkit;

import static dev.runbook.testkit.ScriptedAction.Reply.crash;
import static dev.runbook.testkit.ScriptedAction.Reply.exit;
import static dev.runbook.testkit.ScriptedAction.Reply.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.api.ActionRequest;
import dev.runbook.api.FailureKind;
import dev.runbook.api.StepResult;
import dev.runbook.api.Target;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scripted action answers as scripted, in order, and remembers what it was given. */
class ScriptedActionTest {

  private final ScriptedAction probe = new ScriptedPlugin().action("probe");
  private final FakeActionContext context = new FakeActionContext(null, null, null, null);

  private StepResult call(String value) throws InterruptedException {
    return probe.execute(
        new ActionRequest("s", Map.of("value", value), Target.LOCAL, true), context);
  }

  @Test
  void aValuesRepliesComeFirstThenTheQueueThenTheStandingReply() throws Exception {
    probe.replies(exit(2)).repliesTo("c", exit(1)).otherwise(stdout("ok"));

    assertThat(call("c").exitCode()).hasValue(1);
    assertThat(call("c").exitCode()).hasValue(2);
    assertThat(call("c").data()).containsEntry("stdout", "ok").containsEntry("exitCode", 0L);
    assertThat(probe.values()).containsExactly("c", "c", "c");
    assertThat(context.stdout()).containsExactly("ok");
  }

  @Test
  void anExitIsTheShellActionsFailureAndACrashIsNoFailureAtAll() throws Exception {
    probe.replies(exit(3), crash());

    StepResult exited = call("x");
    assertThat(exited.failure().orElseThrow().kind()).isEqualTo(FailureKind.NON_ZERO_EXIT);
    assertThat(exited.failure().orElseThrow().message()).isEqualTo("exited with status 3");
    assertThatThrownBy(() -> call("x")).isInstanceOf(SimulatedCrash.class);
  }

  @Test
  void aPreviewShowsTheActionAndItsInputsAndRunsNothing() {
    var planned =
        probe.preview(new ActionRequest("s", Map.of("value", "node-1"), Target.LOCAL, false));

    assertThat(planned.command()).isEqualTo("probe node-1");
    assertThat(planned.target()).isEqualTo("local");
    assertThat(probe.calls()).isEmpty();
    assertThat(probe.previews()).extracting(ScriptedAction.Call::value).containsExactly("node-1");
  }
}
