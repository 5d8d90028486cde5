package dev.runbook.plugins.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepResult;

/** Assertions on whole step results. */
final class StepResults {

  private StepResults() {}

  /** The step failed with exactly this kind and this whole message. */
  static void assertFailure(StepResult result, FailureKind kind, String message) {
    assertThat(result.isSuccess()).as(result.toString()).isFalse();
    assertThat(result.failure().orElseThrow().kind()).isEqualTo(kind);
    assertThat(result.failure().orElseThrow().message()).isEqualTo(message);
  }
}
