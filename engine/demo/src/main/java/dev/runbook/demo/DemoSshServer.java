package dev.runbook.demo;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;

/**
 * An embedded SSH server (Apache MINA SSHD) on 127.0.0.1 that runs commands with /bin/sh on this
 * machine, for one client key only. Stands in for an MRS host in the demo.
 */
final class DemoSshServer implements AutoCloseable {

  private final SshServer server;
  private final KeyPair hostKey;

  private DemoSshServer(SshServer server, KeyPair hostKey) {
    this.server = server;
    this.hostKey = hostKey;
  }

  /** Starts on a free loopback port; only {@code clientKey} may log in (as any user name). */
  static DemoSshServer start(PublicKey clientKey) throws IOException {
    KeyPair hostKey;
    try {
      // EC, not Ed25519: generating Ed25519 host keys in code fails on JDK 17 with MINA (LAB.md).
      hostKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot generate the demo host key", e);
    }
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(session -> List.of(hostKey));
    server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey));
    server.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
    // Off by default, Nagle's algorithm adds ~40 ms to every command (LAB.md).
    CoreModuleProperties.TCP_NODELAY.set(server, true);
    server.start();
    return new DemoSshServer(server, hostKey);
  }

  int port() {
    return server.getPort();
  }

  /** The known_hosts line for this server: the demo made the key itself, so it can vouch for it. */
  String knownHostsLine() {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
