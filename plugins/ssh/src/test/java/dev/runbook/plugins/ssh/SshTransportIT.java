package dev.runbook.plugins.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.FailureKind;
import dev.runbook.api.OutputSink;
import dev.runbook.api.Target;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.Processes;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.TestUser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSH transport against real OpenSSH sshd processes on loopback (see SshLab). */
@ExtendWith(SshLabExtension.class)
class SshTransportIT {

  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  private static SshTransportProvider provider(SshLab lab, String keyType, boolean acceptNew) {
    Map<String, String> settings = new HashMap<>();
    settings.put("KNOWN_HOSTS", lab.knownHosts().toString());
    settings.put("IDENTITY", lab.key(keyType).toString());
    settings.put("CONFIG", lab.dir().resolve("no-such-config").toString());
    settings.put("STRICT_HOST_KEYS", acceptNew ? "accept-new" : "yes");
    return new SshTransportProvider(SshSettings.from(settings::get, null, false));
  }

  private static Target target(OpenSshServer server, SshLab lab) {
    return new Target(
        "node",
        "ssh",
        Map.of(
            "host", server.address(), "port", String.valueOf(server.port()), "user", lab.user()));
  }

  private static CommandResult run(Transport transport, String script) throws Exception {
    return transport.run(CommandSpec.script(script), OutputSink.DISCARD, TEN_SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
  void logsInWithEachKeyTypeAndRunsCommands(String keyType, SshLab lab) throws Exception {
    OpenSshServer server = lab.start();
    try (Transport transport = provider(lab, keyType, false).open(target(server, lab))) {
      CommandResult result = run(transport, "echo out; echo err >&2; whoami; exit 7");
      assertThat(result.exitCode()).isEqualTo(7);
      assertThat(result.stdout()).isEqualTo("out\n" + lab.user() + "\n");
      assertThat(result.stderr()).isEqualTo("err\n");
    }
  }

  @Test
  void oneSessionServesEveryCommand(SshLab lab) throws Exception {
    OpenSshServer server = lab.start();
    try (Transport transport = provider(lab, "ed25519", false).open(target(server, lab))) {
      Set<String> clientPorts = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        clientPorts.add(run(transport, "echo $SSH_CONNECTION | cut -d' ' -f2").stdout().strip());
      }
      assertThat(clientPorts).as("one TCP connection for all commands").hasSize(1);
      List<CompletableFuture<CommandResult>> parallel = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        int n = i;
        parallel.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return run(transport, "echo " + n);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      for (int i = 0; i < 30; i++) {
        assertThat(parallel.get(i).get(30, TimeUnit.SECONDS).stdout()).isEqualTo(i + "\n");
      }
    }
  }

  @Test
  void anUnknownHostKeyIsRefusedWithItsFingerprintAndTheCommandToTrustIt(SshLab lab)
      throws Exception {
    OpenSshServer server = lab.start(false);
    String fingerprint = fingerprintOf(lab, 0);
    assertThatThrownBy(() -> provider(lab, "ed25519", false).open(target(server, lab)))
        .isInstanceOf(TransportException.class)
        .satisfies(e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.HOST_KEY))
        .hasMessage(
            "the host key of "
                + lab.user()
                + "@"
                + server.address()
                + ":"
                + server.port()
                + " is not in "
                + lab.knownHosts()
                + " (ssh-ed25519 "
                + fingerprint
                + "). Check that fingerprint with the host's owner, then"
                + " trust it: ssh-keyscan -p "
                + server.port()
                + " "
                + server.address()
                + " >> "
                + lab.knownHosts()
                + " (or set RUNBOOK_SSH_STRICT_HOST_KEYS=accept-new to add new hosts' keys automatically)");
    assertThat(Files.readAllBytes(lab.knownHosts())).as("nothing was trusted").isEmpty();
  }

  private static String fingerprintOf(SshLab lab, int index) throws Exception {
    Process p =
        new ProcessBuilder(
                "ssh-keygen",
                "-l",
                "-f",
                lab.dir().resolve("sshd" + index + "_host_ed25519.pub").toString())
            .start();
    String line = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor(10, TimeUnit.SECONDS);
    return line.split(" ")[1];
  }

  @Test
  void aChangedHostKeyIsRefusedEvenWithAcceptNew(SshLab lab) throws Exception {
    OpenSshServer server = lab.start();
    try (Transport first = provider(lab, "ed25519", false).open(target(server, lab))) {
      assertThat(run(first, "true").exitCode()).isZero();
    }
    OpenSshServer impostor = lab.replaceHostKey(server);
    byte[] knownBefore = Files.readAllBytes(lab.knownHosts());
    for (boolean acceptNew : new boolean[] {false, true}) {
      assertThatThrownBy(() -> provider(lab, "ed25519", acceptNew).open(target(impostor, lab)))
          .isInstanceOf(TransportException.class)
          .satisfies(
              e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.HOST_KEY))
          .hasMessageStartingWith(
              "THE HOST KEY OF "
                  + lab.user()
                  + "@"
                  + impostor.address()
                  + ":"
                  + impostor.port()
                  + " HAS CHANGED (it now presents ssh-ed25519 "
                  + fingerprintOf(lab, 0)
                  + ")");
      assertThat(Files.readAllBytes(lab.knownHosts()))
          .as("known_hosts after a refusal (acceptNew=%s)", acceptNew)
          .isEqualTo(knownBefore);
    }
  }

  @Test
  void acceptNewAddsAnUnknownKeyOnceAndThenChecksIt(SshLab lab) throws Exception {
    OpenSshServer server = lab.start(false);
    try (Transport transport = provider(lab, "ed25519", true).open(target(server, lab))) {
      assertThat(run(transport, "echo hi").stdout()).isEqualTo("hi\n");
    }
    assertThat(Files.readString(lab.knownHosts()).strip()).isEqualTo(server.knownHostsLine());
    try (Transport strict = provider(lab, "ed25519", false).open(target(server, lab))) {
      assertThat(run(strict, "true").exitCode()).isZero();
    }
  }

  @Test
  void aKeyTheHostDoesNotKnowIsAnAuthFailure(SshLab lab) throws Exception {
    OpenSshServer server = lab.start();
    Path stranger = lab.dir().resolve("stranger");
    new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString())
        .start()
        .waitFor(30, TimeUnit.SECONDS);
    Map<String, String> settings =
        Map.of(
            "KNOWN_HOSTS",
            lab.knownHosts().toString(),
            "IDENTITY",
            stranger.toString(),
            "CONFIG",
            "/nonexistent");
    SshTransportProvider provider =
        new SshTransportProvider(SshSettings.from(settings::get, null, false));
    assertThatThrownBy(() -> provider.open(target(server, lab)))
        .satisfies(e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.AUTH))
        .hasMessage(
            lab.user()
                + "@"
                + server.address()
                + ":"
                + server.port()
                + " refused the key(s) of user "
                + lab.user()
                + " (tried: "
                + stranger
                + "); check the user, the key, and the host's authorized_keys");
  }

  @Test
  void aServerThatStallsInTheKeyExchangeIsAConnectFailureAtTheConnectTimeout(SshLab lab)
      throws Exception {
    // A loopback listener that greets like sshd and then never answers the key exchange: a connect
    // failure at the connect timeout (told apart by cause and state, never by JSch's message
    // text), not an authentication failure and not a hang.
    try (ServerSocket stall = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread greeter =
          new Thread(
              () -> {
                try (Socket client = stall.accept()) {
                  client.getOutputStream().write("SSH-2.0-OpenSSH_9.2 stalls\r\n".getBytes());
                  client.getOutputStream().flush();
                  client.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                  // the client gave up: that is the point
                }
              });
      greeter.setDaemon(true);
      greeter.start();
      Map<String, String> settings = new HashMap<>();
      settings.put("KNOWN_HOSTS", lab.knownHosts().toString());
      settings.put("IDENTITY", lab.key("ed25519").toString());
      settings.put("CONFIG", lab.dir().resolve("no-such-config").toString());
      settings.put("CONNECT_TIMEOUT", "2");
      SshTransportProvider provider =
          new SshTransportProvider(SshSettings.from(settings::get, null, false));
      Target stalled =
          new Target(
              "node",
              "ssh",
              Map.of(
                  "host",
                  "127.0.0.1",
                  "port",
                  String.valueOf(stall.getLocalPort()),
                  "user",
                  lab.user()));
      assertThatThrownBy(() -> provider.open(stalled))
          .satisfies(
              e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.CONNECT))
          .hasMessageContaining("127.0.0.1:" + stall.getLocalPort())
          .hasMessageContaining("within the connect timeout");
    }
  }

  @Test
  void noServerListeningIsAConnectFailure(SshLab lab) {
    Target nowhere =
        new Target(
            "node",
            "ssh",
            Map.of("host", "127.0.0.99", "port", String.valueOf(lab.port()), "user", lab.user()));
    assertThatThrownBy(() -> provider(lab, "ed25519", false).open(nowhere))
        .satisfies(e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.CONNECT))
        .hasMessage(
            "connection to "
                + lab.user()
                + "@127.0.0.99:"
                + lab.port()
                + " refused (is sshd running there?)");
  }

  @Test
  void sshdKilledMidCommandIsALostConnection(SshLab lab) throws Exception {
    OpenSshServer server = lab.start();
    Path started = Files.createDirectories(lab.dir().resolve("work"));
    TestUser.own(started);
    try (Transport transport = provider(lab, "ed25519", false).open(target(server, lab))) {
      CompletableFuture<Object> running =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return transport.run(
                      CommandSpec.script("touch " + started + "/started; sleep 30"),
                      OutputSink.DISCARD,
                      Duration.ofSeconds(60));
                } catch (Exception e) {
                  return e;
                }
              });
      Eventually.within(
          TEN_SECONDS, "the command to start", () -> Files.exists(started.resolve("started")));
      server.kill();
      Object outcome = running.get(30, TimeUnit.SECONDS);
      assertThat(outcome).isInstanceOf(TransportException.class);
      assertThat(((TransportException) outcome).kind()).isEqualTo(FailureKind.CONNECTION_LOST);
      assertThat(((TransportException) outcome).getMessage())
          .startsWith(
              "lost the connection to "
                  + lab.user()
                  + "@"
                  + server.address()
                  + ":"
                  + server.port());
    }
  }

  @Test
  void aCommandPastItsTimeoutIsStoppedOnTheRemoteSide(SshLab lab) throws Exception {
    OpenSshServer server = lab.start();
    Path work = Files.createDirectories(lab.dir().resolve("work"));
    TestUser.own(work);
    Path pidFile = work.resolve("pid");
    try (Transport transport = provider(lab, "ed25519", false).open(target(server, lab))) {
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  transport.run(
                      CommandSpec.script("sleep 300 & echo $! > " + pidFile + "; wait"),
                      OutputSink.DISCARD,
                      Duration.ofSeconds(1)))
          .satisfies(
              e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.TIMEOUT))
          .hasMessageContaining("still running on " + lab.user() + "@" + server.address());
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
      long sleeper = Long.parseLong(Files.readString(pidFile).strip());
      // The sshd runs on this machine, so the remote process can be checked directly.
      Eventually.within(
          TEN_SECONDS,
          "remote sleep " + sleeper + " to be killed",
          () -> !Processes.isRunning(sleeper));
      assertThat(run(transport, "echo still usable").stdout()).isEqualTo("still usable\n");
    }
  }

  @Test
  void readsAndWritesFilesOverSftp(SshLab lab) throws Exception {
    OpenSshServer server = lab.start();
    Path work = Files.createDirectories(lab.dir().resolve("files"));
    TestUser.own(work);
    try (Transport transport = provider(lab, "ed25519", false).open(target(server, lab))) {
      String file = work.resolve("server.key").toString();
      transport.writeFile(file, "secret key\n".getBytes(), 0600);
      transport.writeFile(file, "replaced key\n".getBytes(), 0600);
      assertThat(new String(transport.readFile(file))).isEqualTo("replaced key\n");
      assertThat(run(transport, "stat -c %a " + file).stdout()).isEqualTo("600\n");
      assertThatThrownBy(() -> transport.readFile(work.resolve("missing.crt").toString()))
          .satisfies(
              e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.NOT_FOUND));
    }
  }

  @Test
  void hostAliasesComeFromTheOpenSshConfig(SshLab lab) throws Exception {
    OpenSshServer server = lab.start();
    Path config = lab.sshConfig(Map.of("mrs-node-1", server));
    SshTransportProvider provider = providerFor(config);
    try (Transport transport =
        provider.open(new Target("active", "ssh", Map.of("host", "mrs-node-1")))) {
      assertThat(transport.describe())
          .isEqualTo(lab.user() + "@" + server.address() + ":" + server.port() + " (mrs-node-1)");
      assertThat(run(transport, "echo $SSH_CONNECTION | cut -d' ' -f3").stdout())
          .isEqualTo(server.address() + "\n");
    }
  }

  @Test
  void environmentAndWorkingDirectoryReachTheCommand(SshLab lab) throws Exception {
    OpenSshServer server = lab.start();
    try (Transport transport = provider(lab, "ed25519", false).open(target(server, lab))) {
      CommandResult result =
          transport.run(
              CommandSpec.argv(List.of("sh", "-c", "echo \"$GREETING\"; pwd"))
                  .withEnvironment(Map.of("GREETING", "it's $(not) run"))
                  .inDirectory("/tmp"),
              OutputSink.DISCARD,
              TEN_SECONDS);
      assertThat(result.stdout()).isEqualTo("it's $(not) run\n/tmp\n");
    }
  }

  /** A provider that knows hosts only from this OpenSSH config (its UserKnownHostsFile). */
  private static SshTransportProvider providerFor(Path config) {
    Map<String, String> settings =
        Map.of("CONFIG", config.toString(), "KNOWN_HOSTS", "/nonexistent/known_hosts");
    return new SshTransportProvider(SshSettings.from(settings::get, null, false));
  }

  /** The lines of an ssh_config Host entry that log in to a lab server (its port, user, key). */
  private static String loginLines(SshLab lab) {
    return "  Port "
        + lab.port()
        + "\n  User "
        + lab.user()
        + "\n  IdentityFile "
        + lab.key("ed25519")
        + "\n  UserKnownHostsFile "
        + lab.knownHosts()
        + "\n";
  }

  @Test
  void reachesAHostThroughAJumpHostAndNeedsIt(SshLab lab) throws Exception {
    OpenSshServer bastion = lab.start();
    OpenSshServer inner = lab.start();
    String common = loginLines(lab);
    Path config =
        Files.writeString(
            lab.dir().resolve("jump_config"),
            "Host bastion\n  HostName "
                + bastion.address()
                + "\n"
                + common
                + "Host inner\n  HostName "
                + inner.address()
                + "\n  ProxyJump bastion\n"
                + common);
    Map<String, String> settings =
        Map.of("CONFIG", config.toString(), "KNOWN_HOSTS", lab.knownHosts().toString());
    SshTransportProvider provider =
        new SshTransportProvider(SshSettings.from(settings::get, null, false));
    Target target = new Target("inner", "ssh", Map.of("host", "inner"));
    try (Transport transport = provider.open(target)) {
      assertThat(transport.describe())
          .isEqualTo(
              lab.user() + "@" + inner.address() + ":" + inner.port() + " (inner) via bastion");
      assertThat(run(transport, "echo $SSH_CONNECTION | cut -d' ' -f3").stdout())
          .isEqualTo(inner.address() + "\n");
    }
    bastion.kill();
    assertThatThrownBy(() -> provider.open(target))
        .satisfies(e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.CONNECT))
        .hasMessageStartingWith(
            "cannot reach inner through its jump host: connection to "
                + lab.user()
                + "@"
                + bastion.address());
  }

  /** A provider that reaches {@code inner} through {@code bastion} (ProxyJump in the config). */
  private static SshTransportProvider throughBastion(
      SshLab lab, OpenSshServer bastion, OpenSshServer inner, String strict) throws Exception {
    String common = loginLines(lab);
    Path config =
        Files.writeString(
            lab.dir().resolve("jump_config"),
            "Host bastion\n  HostName "
                + bastion.address()
                + "\n"
                + common
                + "Host inner\n  HostName "
                + inner.address()
                + "\n  ProxyJump bastion\n"
                + common);
    Map<String, String> settings =
        Map.of(
            "CONFIG",
            config.toString(),
            "KNOWN_HOSTS",
            lab.knownHosts().toString(),
            "STRICT_HOST_KEYS",
            strict);
    return new SshTransportProvider(SshSettings.from(settings::get, null, false));
  }

  private static final Target INNER = new Target("inner", "ssh", Map.of("host", "inner"));

  @Test
  void anUntrustedHostBehindATrustedBastionIsRefused(SshLab lab) throws Exception {
    OpenSshServer bastion = lab.start();
    OpenSshServer inner = lab.start(false);
    byte[] knownBefore = Files.readAllBytes(lab.knownHosts());
    assertThatThrownBy(() -> throughBastion(lab, bastion, inner, "yes").open(INNER))
        .isInstanceOf(TransportException.class)
        .satisfies(e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.HOST_KEY))
        .hasMessageContaining(
            "the host key of " + lab.user() + "@" + inner.address() + ":" + inner.port())
        .hasMessageContaining(fingerprintOf(lab, 1));
    assertThat(Files.readAllBytes(lab.knownHosts())).isEqualTo(knownBefore);
  }

  @Test
  void aChangedHostKeyBehindATrustedBastionIsRefusedEvenWithAcceptNew(SshLab lab) throws Exception {
    OpenSshServer bastion = lab.start();
    OpenSshServer inner = lab.start();
    try (Transport first = throughBastion(lab, bastion, inner, "yes").open(INNER)) {
      assertThat(run(first, "echo $SSH_CONNECTION | cut -d' ' -f3").stdout())
          .isEqualTo(inner.address() + "\n");
    }
    OpenSshServer impostor = lab.replaceHostKey(inner);
    byte[] knownBefore = Files.readAllBytes(lab.knownHosts());
    for (String strict : List.of("yes", "accept-new")) {
      assertThatThrownBy(() -> throughBastion(lab, bastion, impostor, strict).open(INNER))
          .as(strict)
          .isInstanceOf(TransportException.class)
          .satisfies(
              e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.HOST_KEY))
          .hasMessageContaining(
              "THE HOST KEY OF "
                  + lab.user()
                  + "@"
                  + impostor.address()
                  + ":"
                  + impostor.port()
                  + " (inner) via bastion HAS CHANGED (it now presents ssh-ed25519 "
                  + fingerprintOf(lab, 1)
                  + ")");
      assertThat(Files.readAllBytes(lab.knownHosts()))
          .as("known_hosts after a refusal (%s)", strict)
          .isEqualTo(knownBefore);
    }
  }

  @Test
  void anUntrustedBastionIsRefusedBeforeTheInnerHostIsTried(SshLab lab) throws Exception {
    OpenSshServer bastion = lab.start(false);
    OpenSshServer inner = lab.start();
    byte[] knownBefore = Files.readAllBytes(lab.knownHosts());
    assertThatThrownBy(() -> throughBastion(lab, bastion, inner, "yes").open(INNER))
        .isInstanceOf(TransportException.class)
        .satisfies(e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.HOST_KEY))
        .hasMessageContaining(bastion.address());
    assertThat(Files.readAllBytes(lab.knownHosts())).isEqualTo(knownBefore);
  }

  @Test
  void anEditedOpenSshConfigIsReadAgainByTheNextLogin(SshLab lab) throws Exception {
    OpenSshServer first = lab.start();
    OpenSshServer second = lab.start();
    Path config = lab.sshConfig(Map.of("mrs-node-1", first));
    SshTransportProvider provider = providerFor(config);
    Target target = new Target("active", "ssh", Map.of("host", "mrs-node-1"));
    try (Transport transport = provider.open(target)) {
      assertThat(run(transport, "echo $SSH_CONNECTION | cut -d' ' -f3").stdout())
          .isEqualTo(first.address() + "\n");
    }
    // The same file, rewritten: mrs-node-1 moved to the second server.
    assertThat(lab.sshConfig(Map.of("mrs-node-1", second))).isEqualTo(config);
    try (Transport transport = provider.open(target)) {
      assertThat(run(transport, "echo $SSH_CONNECTION | cut -d' ' -f3").stdout())
          .isEqualTo(second.address() + "\n");
    }
  }

  @Test
  void withOneLoginAtATimeHostsAndJumpedHostsAllLogIn(SshLab lab) throws Exception {
    OpenSshServer bastion = lab.start();
    List<OpenSshServer> inner = List.of(lab.start(), lab.start(), lab.start());
    StringBuilder config = new StringBuilder();
    String common = loginLines(lab);
    config
        .append("Host bastion\n  HostName ")
        .append(bastion.address())
        .append('\n')
        .append(common);
    for (int i = 0; i < inner.size(); i++) {
      String address = inner.get(i).address();
      config.append("Host direct").append(i).append("\n  HostName ").append(address).append('\n');
      config.append(common);
      config.append("Host jumped").append(i).append("\n  HostName ").append(address).append('\n');
      config.append("  ProxyJump bastion\n").append(common);
    }
    Path file = Files.writeString(lab.dir().resolve("gate_config"), config);
    Map<String, String> settings =
        Map.of(
            "CONFIG", file.toString(),
            "KNOWN_HOSTS", lab.knownHosts().toString(),
            "MAX_CONNECTING", "1");
    SshTransportProvider provider =
        new SshTransportProvider(SshSettings.from(settings::get, null, false));
    List<CompletableFuture<String>> logins = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    for (int i = 0; i < inner.size(); i++) {
      for (String alias : List.of("direct" + i, "jumped" + i)) {
        logins.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try (Transport transport =
                      provider.open(new Target(alias, "ssh", Map.of("host", alias)))) {
                    return alias
                        + " "
                        + run(transport, "echo $SSH_CONNECTION | cut -d' ' -f3").stdout();
                  } catch (Exception e) {
                    throw new IllegalStateException(alias + ": " + e.getMessage(), e);
                  }
                },
                pool));
      }
    }
    List<String> answers = new ArrayList<>();
    try {
      for (CompletableFuture<String> login : logins) {
        answers.add(login.get(60, TimeUnit.SECONDS).strip());
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < inner.size(); i++) {
      expected.add("direct" + i + " " + inner.get(i).address());
      expected.add("jumped" + i + " " + inner.get(i).address());
    }
    assertThat(answers).containsExactlyElementsOf(expected);
  }
}
