package dev.runbook.plugins.ssh;

import dev.runbook.api.SettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the SSH transport connects, from the environment (each setting also as a system property, for
 * tests and embedding):
 *
 * <ul>
 *   <li>{@code RUNBOOK_SSH_CONFIG} / {@code runbook.ssh.config}: an OpenSSH client config (Host,
 *       HostName, User, Port, IdentityFile, UserKnownHostsFile); default {@code ~/.ssh/config}
 *   <li>{@code RUNBOOK_SSH_KNOWN_HOSTS} / {@code runbook.ssh.knownHosts}: default {@code
 *       ~/.ssh/known_hosts}
 *   <li>{@code RUNBOOK_SSH_IDENTITY} / {@code runbook.ssh.identity}: a private key; default the
 *       usual {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}, and ssh-agent when
 *       {@code SSH_AUTH_SOCK} is set
 *   <li>{@code RUNBOOK_SSH_STRICT_HOST_KEYS} / {@code runbook.ssh.strictHostKeys}: {@code yes} (the
 *       default: an unknown host key is refused) or {@code accept-new} (an unknown key is added to
 *       known_hosts; a changed key is always refused). There is no "no".
 *   <li>{@code RUNBOOK_SSH_CONNECT_TIMEOUT} / {@code runbook.ssh.connectTimeout}: seconds, default
 *       10
 *   <li>{@code RUNBOOK_SSH_MAX_CONNECTING} / {@code runbook.ssh.maxConnecting}: how many logins
 *       (key exchange and authentication) run at once, default 32; the others wait their turn, and
 *       the connect timeout starts when their login does
 * </ul>
 *
 * A key's passphrase comes from {@code RUNBOOK_SECRET_SSH_PASSPHRASE}, never from a flag.
 */
record SshSettings(
    Path config,
    Path knownHosts,
    List<Path> identities,
    boolean acceptNew,
    Duration connectTimeout,
    int maxConnecting,
    String passphrase,
    boolean useAgent,
    String defaultUser) {

  SshSettings {
    Objects.requireNonNull(knownHosts, "knownHosts");
    identities = List.copyOf(identities);
  }

  static SshSettings fromEnvironment() {
    return from(
        name -> {
          String property = System.getProperty("runbook.ssh." + camel(name));
          return property != null ? property : System.getenv("RUNBOOK_SSH_" + name);
        },
        System.getenv("RUNBOOK_SECRET_SSH_PASSPHRASE"),
        System.getenv("SSH_AUTH_SOCK") != null);
  }

  static SshSettings from(Function<String, String> setting, String passphrase, boolean agent) {
    Path home = Path.of(System.getProperty("user.home"), ".ssh");
    String config = setting.apply("CONFIG");
    Path configPath = config != null ? Path.of(config) : home.resolve("config");
    String known = setting.apply("KNOWN_HOSTS");
    List<Path> identities = new ArrayList<>();
    String identity = setting.apply("IDENTITY");
    if (identity != null) {
      identities.add(Path.of(identity));
    } else {
      for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
        if (Files.isReadable(home.resolve(name))) {
          identities.add(home.resolve(name));
        }
      }
    }
    String strict = setting.apply("STRICT_HOST_KEYS");
    boolean acceptNew = false;
    if (strict != null) {
      switch (strict.toLowerCase(Locale.ROOT)) {
        case "yes" -> acceptNew = false;
        case "accept-new" -> acceptNew = true;
        default ->
            throw new SettingException(
                "RUNBOOK_SSH_STRICT_HOST_KEYS must be yes or accept-new, not '"
                    + strict
                    + "': runbook never connects to a host whose key it cannot check");
      }
    }
    String timeout = setting.apply("CONNECT_TIMEOUT");
    String connecting = setting.apply("MAX_CONNECTING");
    return new SshSettings(
        Files.isReadable(configPath) ? configPath : null,
        known != null ? Path.of(known) : home.resolve("known_hosts"),
        identities,
        acceptNew,
        Duration.ofSeconds(timeout == null ? 10 : positive("RUNBOOK_SSH_CONNECT_TIMEOUT", timeout)),
        connecting == null
            ? DEFAULT_MAX_CONNECTING
            : positive("RUNBOOK_SSH_MAX_CONNECTING", connecting),
        passphrase,
        agent,
        System.getProperty("user.name"));
  }

  /**
   * Logins at once: 1,000 hosts logging in together from 2 cores left some key exchanges unfinished
   * after the 10 s connect timeout (bench/run.sh memory); 32 at a time keep every one short.
   */
  static final int DEFAULT_MAX_CONNECTING = 32;

  /** A whole number above 0 (a connect timeout of 0 would wait forever). */
  private static int positive(String name, String text) {
    try {
      int value = Integer.parseInt(text.strip());
      if (value > 0 && value <= 86_400) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SettingException(
        name + " must be a whole number from 1 to 86400, not '" + text + "'");
  }

  private static String camel(String name) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
