package dev.runbook.plugins.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.api.SettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void theStrictSettingIsReadWhateverItsCase() {
    assertThat(from(Map.of("STRICT_HOST_KEYS", "ACCEPT-NEW")).acceptNew()).isTrue();
    assertThat(from(Map.of("STRICT_HOST_KEYS", "yes")).acceptNew()).isFalse();
    assertThat(from(Map.of()).acceptNew()).isFalse();
  }

  @Test
  void numbersRunFromOneTo86400() {
    assertThat(from(Map.of("CONNECT_TIMEOUT", "1")).connectTimeout())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(from(Map.of("CONNECT_TIMEOUT", "86400")).connectTimeout())
        .isEqualTo(Duration.ofSeconds(86_400));
    assertThatThrownBy(() -> from(Map.of("CONNECT_TIMEOUT", "86401")))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "RUNBOOK_SSH_CONNECT_TIMEOUT must be a whole number from 1 to 86400, not '86401'");
  }

  @Test
  void filesDefaultToTheUsersSshDirectory(@TempDir Path home) throws Exception {
    String previous = System.getProperty("user.home");
    Path ssh = Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(ssh.resolve("id_rsa"), "k");
    Files.writeString(ssh.resolve("id_ed25519"), "k");
    System.setProperty("user.home", home.toString());
    try {
      SshSettings none = from(Map.of());
      assertThat(none.identities())
          .containsExactly(ssh.resolve("id_ed25519"), ssh.resolve("id_rsa"));
      assertThat(none.knownHosts()).isEqualTo(ssh.resolve("known_hosts"));
      assertThat(none.config()).as("no ~/.ssh/config: none").isNull();
      Files.writeString(ssh.resolve("config"), "Host x\n");
      assertThat(from(Map.of()).config()).isEqualTo(ssh.resolve("config"));
      SshSettings given =
          from(Map.of("IDENTITY", "/k/id", "KNOWN_HOSTS", "/k/known", "CONFIG", "/no/such/file"));
      assertThat(given.identities()).containsExactly(Path.of("/k/id"));
      assertThat(given.knownHosts()).isEqualTo(Path.of("/k/known"));
      assertThat(given.config()).as("a config that cannot be read: none").isNull();
      assertThat(given.defaultUser()).isEqualTo(System.getProperty("user.name"));
    } finally {
      System.setProperty("user.home", previous);
    }
  }

  @Test
  void systemPropertiesNameEachSettingInCamelCase() {
    System.setProperty("runbook.ssh.maxConnecting", "7");
    System.setProperty("runbook.ssh.strictHostKeys", "accept-new");
    System.setProperty("runbook.ssh.knownHosts", "/k/known_hosts");
    try {
      SshSettings settings = SshSettings.fromEnvironment();
      assertThat(settings.maxConnecting()).isEqualTo(7);
      assertThat(settings.acceptNew()).isTrue();
      assertThat(settings.knownHosts()).isEqualTo(Path.of("/k/known_hosts"));
    } finally {
      System.clearProperty("runbook.ssh.maxConnecting");
      System.clearProperty("runbook.ssh.strictHostKeys");
      System.clearProperty("runbook.ssh.knownHosts");
    }
  }
}
