package dev.runbook.plugins.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SshSettingsTest {

  private static SshSettings from(Map<String, String> settings) {
    return SshSettings.from(settings::get, null, false);
  }

  @Test
  void loginsAtOnceAndTheConnectTimeoutHaveDefaults() {
    SshSettings settings = from(Map.of());
    assertThat(settings.maxConnecting()).isEqualTo(SshSettings.DEFAULT_MAX_CONNECTING);
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void loginsAtOnceIsReadFromTheEnvironment() {
    assertThat(from(Map.of("MAX_CONNECTING", " 4 ")).maxConnecting()).isEqualTo(4);
  }

  @Test
  void loginsAtOnceMustBeAPositiveNumber() {
    for (String bad : new String[] {"0", "-3", "many"}) {
      assertThatThrownBy(() -> from(Map.of("MAX_CONNECTING", bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "RUNBOOK_SSH_MAX_CONNECTING must be a whole number above 0, not '" + bad + "'");
    }
  }
}
