package dev.runbook.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
                    "a@1", "succeeded", null, 0L, 1, null, null, null, null, null, false)
                .durable())
        .isFalse();
    assertThat(new AuditEvent.Decision("d@1", "true", java.util.Map.of(), true, "next").durable())
        .isTrue();
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
}
