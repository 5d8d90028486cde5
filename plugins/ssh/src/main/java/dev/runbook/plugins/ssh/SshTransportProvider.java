package dev.runbook.plugins.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import dev.runbook.api.FailureKind;
import dev.runbook.api.SettingException;
import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import dev.runbook.api.TransportProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/** Opens an SSH session per target, with strict host-key checking against known_hosts. */
final class SshTransportProvider implements TransportProvider {

  private static final int KEEPALIVE_MS = 15_000;

  private final Supplier<SshSettings> source;
  private volatile SshSettings settings;

  /** Logins running now, at most {@link SshSettings#maxConnecting()}; made with the settings. */
  private volatile Semaphore logins;

  /**
   * The OpenSSH config as last parsed, with the file's size and time it was parsed from. A fan-out
   * opens a session per host, each reading the config: parsed once, 1,000 hosts of a 1,000-entry
   * config cost one parse instead of a million lines, a fifth of the client's CPU while the
   * sessions log in (JFR, bench/run.sh memory). Read-only once parsed, so shared by every thread.
   */
  private volatile ParsedConfig parsedConfig;

  /** Logins running now, at most {@link SshSettings#maxConnecting()}. */
  private record ParsedConfig(FileTime modified, long size, ConfigRepository repository) {}

  SshTransportProvider(SshSettings settings) {
    this(() -> settings);
  }

  /**
   * A provider whose settings are read on first use: {@code runbook list} and a runbook without SSH
   * targets never read them, so a mistake in them only matters where SSH is used.
   */
  SshTransportProvider(Supplier<SshSettings> source) {
    this.source = source;
  }

  /** The settings, read once. @throws SettingException when one is wrong */
  private SshSettings settings() {
    SshSettings read = settings;
    if (read == null) {
      synchronized (this) {
        if (settings == null) {
          SshSettings fresh = source.get();
          logins = new Semaphore(fresh.maxConnecting(), true);
          settings = fresh;
        }
        read = settings;
      }
    }
    return read;
  }

  @Override
  public void checkSettings() {
    settings();
  }

  @Override
  public String kind() {
    return "ssh";
  }

  @Override
  public Transport open(Target target) throws TransportException {
    try {
      settings();
    } catch (SettingException e) {
      throw new TransportException(FailureKind.CONFIG, e.getMessage());
    }
    SshEndpoint endpoint = endpoint(target);
    JSch jsch = new JSch();
    if (VerboseLog.on()) {
      jsch.setInstanceLogger(new VerboseLog());
    }
    try {
      if (Files.exists(endpoint.knownHosts())) {
        jsch.setKnownHosts(endpoint.knownHosts().toString());
      }
      addIdentities(jsch, endpoint);
    } catch (JSchException e) {
      throw new TransportException(
          FailureKind.CONFIG,
          "cannot use the SSH keys or known_hosts for "
              + endpoint.describe()
              + ": "
              + e.getMessage(),
          e);
    }
    CheckingHostKeys keys =
        new CheckingHostKeys(
            jsch.getHostKeyRepository(), endpoint.knownHosts(), settings().acceptNew());
    SshTransport jump = endpoint.jump() == null ? null : jumpHost(endpoint);
    Session session;
    try {
      if (jump == null) {
        session = jsch.getSession(endpoint.user(), endpoint.host(), endpoint.port());
      } else {
        // Through the jump host: a local loopback port forwarded to the target; the target's key is
        // still checked under the target's own name.
        int local = jump.forward(endpoint.host(), endpoint.port());
        session = jsch.getSession(endpoint.user(), "127.0.0.1", local);
        session.setHostKeyAlias(endpoint.knownHostsName());
      }
      session.setHostKeyRepository(keys);
      // Our repository decides (strict, or accept-new); JSch must never add keys by itself.
      session.setConfig("StrictHostKeyChecking", "yes");
      session.setConfig("PreferredAuthentications", "publickey");
      session.setServerAliveInterval(KEEPALIVE_MS);
      session.setServerAliveCountMax(3);
      connect(session);
    } catch (InterruptedException e) {
      if (jump != null) {
        jump.close();
      }
      Thread.currentThread().interrupt();
      throw new TransportException(
          FailureKind.INTERRUPTED,
          "interrupted while waiting to log in to " + endpoint.describe(),
          e);
    } catch (JSchException e) {
      if (jump != null) {
        jump.close();
      }
      throw SshFailures.connect(e, endpoint, keys);
    }
    return new SshTransport(session, endpoint, jump);
  }

  /**
   * Logs in once a login slot is free: the connect timeout bounds the login itself, not the wait
   * behind other hosts' logins (a jump host's login is done before, so slots never nest).
   */
  private void connect(Session session) throws JSchException, InterruptedException {
    logins.acquire();
    try {
      session.connect((int) settings().connectTimeout().toMillis());
    } finally {
      logins.release();
    }
  }

  private SshTransport jumpHost(SshEndpoint endpoint) throws TransportException {
    try {
      return (SshTransport)
          open(new Target("jump to " + endpoint.alias(), "ssh", Map.of("host", endpoint.jump())));
    } catch (TransportException e) {
      throw new TransportException(
          e.kind(),
          "cannot reach " + endpoint.alias() + " through its jump host: " + e.getMessage(),
          e);
    }
  }

  private void addIdentities(JSch jsch, SshEndpoint endpoint) throws JSchException {
    byte[] passphrase =
        settings().passphrase() == null
            ? null
            : settings().passphrase().getBytes(StandardCharsets.UTF_8);
    if (endpoint.identities().isEmpty() && settings().useAgent()) {
      try {
        jsch.setIdentityRepository(new AgentIdentityRepository(new SSHAgentConnector()));
      } catch (AgentProxyException e) {
        throw new JSchException("cannot reach ssh-agent: " + e.getMessage(), e);
      }
      return;
    }
    for (Path identity : endpoint.identities()) {
      jsch.addIdentity(identity.toString(), passphrase);
    }
  }

  /** The target's own settings first, then the OpenSSH config's Host entry, then the defaults. */
  SshEndpoint endpoint(Target target) throws TransportException {
    String host0 = target.properties().getOrDefault("host", target.name());
    // An inventory host arrives with its address in "host" and its name in "alias".
    String alias = target.properties().getOrDefault(Target.ALIAS, host0);
    ConfigRepository.Config config = config(alias);
    String host =
        target.properties().containsKey(Target.ALIAS)
            ? host0
            : config != null && config.getHostname() != null ? config.getHostname() : alias;
    int port = 22;
    if (target.properties().containsKey("port")) {
      port = parsePort(target.properties().get("port"), target);
    } else if (config != null && config.getPort() > 0) {
      port = config.getPort();
    }
    String user = target.properties().get("user");
    if (user == null && config != null && config.getUser() != null) {
      user = config.getUser();
    }
    if (user == null) {
      user = settings().defaultUser();
    }
    List<Path> identities = new ArrayList<>();
    if (target.properties().containsKey("identity")) {
      identities.add(Path.of(expand(target.properties().get("identity"))));
    } else if (config != null && config.getValues("IdentityFile") != null) {
      for (String file : config.getValues("IdentityFile")) {
        identities.add(Path.of(expand(file)));
      }
    }
    if (identities.isEmpty()) {
      identities.addAll(settings().identities());
    }
    Path knownHosts = settings().knownHosts();
    if (config != null && config.getValue("UserKnownHostsFile") != null) {
      knownHosts = Path.of(expand(config.getValue("UserKnownHostsFile")));
    }
    String jump = target.properties().get("jump");
    if (jump == null && config != null) {
      jump = config.getValue("ProxyJump");
    }
    if (jump != null && (jump.isBlank() || jump.equals("none"))) {
      jump = null;
    }
    return new SshEndpoint(
        alias, host, port, user, identities, knownHosts, target.properties().get("become"), jump);
  }

  private ConfigRepository.Config config(String alias) throws TransportException {
    if (settings().config() == null) {
      return null;
    }
    try {
      Path file = settings().config();
      BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
      FileTime modified = now.lastModifiedTime();
      ParsedConfig parsed = parsedConfig;
      if (parsed == null || !parsed.modified().equals(modified) || parsed.size() != now.size()) {
        parsed = new ParsedConfig(modified, now.size(), OpenSSHConfig.parseFile(file.toString()));
        parsedConfig = parsed;
      }
      return parsed.repository().getConfig(alias);
    } catch (IOException e) {
      throw new TransportException(
          FailureKind.CONFIG,
          "cannot read the SSH config " + settings().config() + ": " + e.getMessage(),
          e);
    }
  }

  private static int parsePort(String text, Target target) throws TransportException {
    try {
      int port = Integer.parseInt(text.strip());
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new TransportException(
        FailureKind.CONFIG,
        "target '" + target.name() + "': port '" + text + "' is not a port number");
  }

  private static String expand(String path) {
    return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
  }
}
