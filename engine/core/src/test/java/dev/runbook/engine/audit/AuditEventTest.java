package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.api.FailureKind;
import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class AuditEventTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void onlyAStepUnsafeToRepeatMustReachTheDiskBeforeTheRunGoesOn() {
    assertThat(
            new AuditEvent.StepStarted("a@1", "a", null, null, "action", 1, "local", false, true)
                .durable())
        .isTrue();
    assertThat(
            new AuditEvent.StepStarted("a@1", "a", null, null, "action", 1, "local", true, false)
                .durable())
        .isFalse();
    assertThat(
            new AuditEvent.StepFinished(
                    "a@1",
                    AuditEvent.StepStatus.SUCCEEDED,
                    null,
                    0L,
                    1,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false)
                .durable())
        .isFalse();
    assertThat(new AuditEvent.Decision("d@1", "true", Map.of(), true, "next").durable()).isTrue();
    assertThat(new AuditEvent.CommandRendered("a@1", "local", "true", false).durable()).isFalse();
  }

  @Test
  void theDurabilityFlagIsNotPartOfTheWireFormatAndReadsBack() throws Exception {
    AuditEvent started =
        new AuditEvent.StepStarted("a@1", "a", "6", "t", "action", 2, "local", false, true);
    String json = JSON.writeValueAsString(started);
    assertThat(json)
        .isEqualTo(
            "{\"type\":\"step.started\",\"step\":\"a@1\",\"stepId\":\"a\",\"ref\":\"6\",\"title\":\"t\","
                + "\"kind\":\"action\",\"attempt\":2,\"target\":\"local\",\"idempotent\":false}");
    AuditEvent.StepStarted back = (AuditEvent.StepStarted) JSON.readValue(json, AuditEvent.class);
    assertThat(back.step()).isEqualTo("a@1");
    assertThat(back.attempt()).isEqualTo(2);
  }

  @Test
  void statusesOutcomesAndFailureKindsAreWrittenAsLabelsAndReadBackStrictly() throws Exception {
    AuditEvent finished =
        new AuditEvent.StepFinished(
            "a@1",
            AuditEvent.StepStatus.FAILED,
            null,
            2L,
            5,
            "non-zero-exit",
            "exited with status 2",
            null,
            null,
            null);
    String json = JSON.writeValueAsString(finished);
    assertThat(json)
        .contains("\"status\":\"failed\"")
        .contains("\"failureKind\":\"non-zero-exit\"");
    AuditEvent.StepFinished back = (AuditEvent.StepFinished) JSON.readValue(json, AuditEvent.class);
    assertThat(back.failed()).isTrue();
    assertThat(back.kind()).isEqualTo(FailureKind.NON_ZERO_EXIT);
    String ended = JSON.writeValueAsString(new AuditEvent.RunFinished(Outcome.ESCALATED, "m", 1));
    assertThat(ended).contains("\"outcome\":\"escalated\"");
    // No fallback: a label the engine never writes makes the line unreadable, not "plugin-error".
    for (String forged :
        List.of(
            json.replace("\"failed\"", "\"skipped\""),
            json.replace("non-zero-exit", "made-up-kind"),
            ended.replace("escalated", "fixed"))) {
      Assertions.assertThatThrownBy(() -> JSON.readValue(forged, AuditEvent.class))
          .isInstanceOf(IOException.class);
    }
  }
}
