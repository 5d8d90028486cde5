package dev.runbook.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void neverShowsItsValue() {
    Secret secret = new Secret("hunter2");
    assertThat(secret.toString()).isEqualTo("****");
    assertThat(String.valueOf(Map.of("password", secret))).doesNotContain("hunter2");
    assertThat(secret.reveal()).isEqualTo("hunter2");
  }

  @Test
  void textWithASecretShowsOnlyItsMaskedForm() {
    Secret line = Secret.within("mysql -phunter2", "mysql -p****");
    assertThat(line.toString()).isEqualTo("mysql -p****");
    assertThat(line.reveal()).isEqualTo("mysql -phunter2");
  }

  @Test
  void requestMasksSecretsButHandsThemToTheAction() {
    ActionRequest request =
        new ActionRequest("s", Map.of("password", new Secret("hunter2")), Target.LOCAL, false);
    assertThat(request.masked("password")).isEqualTo("****");
    assertThat(request.text("password")).isEqualTo("hunter2");
    assertThat(request.toString()).doesNotContain("hunter2");
  }

  @Test
  void equalByValueWhateverIsShown() {
    assertThat(new Secret("hunter2")).isEqualTo(Secret.within("hunter2", "x"));
    assertThat(new Secret("hunter2")).hasSameHashCodeAs(new Secret("hunter2"));
    assertThat(new Secret("hunter2")).isNotEqualTo(new Secret("hunter3")).isNotEqualTo("hunter2");
    assertThat(new Secret("hunter2").hashCode()).isNotEqualTo(new Secret("hunter3").hashCode());
  }
}
