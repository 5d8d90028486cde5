package dev.runbook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The fake context keeps what an action hands back, and fails on parts the test did not give. */
class FakeActionContextTest {

  @Test
  void outputLinesAndMaskedValuesAreKeptInOrder() {
    FakeActionContext context =
        new FakeActionContext(
            null, FakeActionContext.frozenAt(Instant.EPOCH), Duration.ofSeconds(5), null);

    context.output().stdout("one");
    context.output().stderr("two");
    context.maskSecret("s3cret");

    assertThat(context.lines()).containsExactly("out:one", "err:two");
    assertThat(context.stdout()).containsExactly("one");
    assertThat(context.masked()).containsExactly("s3cret");
    assertThat(context.timeout()).hasValue(Duration.ofSeconds(5));
    assertThat(context.clock().instant()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void partsNotGivenAndSecretsRefusedFailTheTestPlainly() {
    FakeActionContext context = new FakeActionContext(null, null, null, null).refusingSecrets();

    assertThatThrownBy(context::transport).hasMessageContaining("asked for a transport");
    assertThatThrownBy(context::scratchDirectory).hasMessageContaining("scratch directory");
    assertThatThrownBy(() -> context.maskSecret("x")).hasMessageContaining("learn secrets");
    assertThat(context.timeout()).isEmpty();
  }
}
