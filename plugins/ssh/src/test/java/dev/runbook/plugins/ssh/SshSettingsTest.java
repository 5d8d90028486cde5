package dev.runbook.plugins.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.api.SettingException;
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
          .isInstanceOf(SettingException.class)
          .hasMessage(
              "RUNBOOK_SSH_MAX_CONNECTING must be a whole number from 1 to 86400, not '"
                  + bad
                  + "'");
    }
  }

  @Test
  void aConnectTimeoutThatIsNotASecondCountOrIsZeroIsASettingMistake() {
    for (String bad : new String[] {"abc", "0", "-1", "1.5"}) {
      assertThatThrownBy(() -> from(Map.of("CONNECT_TIMEOUT", bad)))
          .isInstanceOf(SettingException.class)
          .hasMessageContaining("RUNBOOK_SSH_CONNECT_TIMEOUT")
          .hasMessageContaining("'" + bad + "'");
    }
    assertThat(from(Map.of("CONNECT_TIMEOUT", "3")).connectTimeout())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void strictHostKeyCheckingCannotBeSwitchedOff() {
    for (String bad : new String[] {"no", "off", "false"}) {
      assertThatThrownBy(() -> from(Map.of("STRICT_HOST_KEYS", bad)))
          .isInstanceOf(SettingException.class)
          .hasMessageContaining("never connects to a host whose key it cannot check");
    }
  }

  @Test
  void aProviderReadsItsSettingsOnlyWhenUsedAndReportsThemAsSettings() {
    SshTransportProvider provider =
        new SshTransportProvider(() -> from(Map.of("CONNECT_TIMEOUT", "abc")));
    assertThatThrownBy(provider::checkSettings).isInstanceOf(SettingException.class);
  }
}
