package dev.runbook.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * Everything {@code runbook demo} needs, made in one directory: an MRS host tree whose Flink HA
 * certificate expires in 10 days, two embedded SSH servers standing in for the active and standby
 * FlinkServer hosts, a client key, and the known_hosts and OpenSSH config that name them {@code
 * mrs-demo-active} and {@code mrs-demo-standby}. Host keys are trusted because the demo generated
 * them; nothing is trusted blindly.
 */
public final class DemoLab implements AutoCloseable {

  public static final String ACTIVE = "mrs-demo-active";
  public static final String STANDBY = "mrs-demo-standby";

  private final Path dir;
  private final MrsHostTree tree;
  private final List<DemoSshServer> servers;
  private final Path sshConfig;

  private DemoLab(Path dir, MrsHostTree tree, List<DemoSshServer> servers, Path sshConfig) {
    this.dir = dir;
    this.tree = tree;
    this.servers = servers;
    this.sshConfig = sshConfig;
  }

  public static DemoLab start(Path dir) throws IOException {
    Files.createDirectories(dir);
    MrsHostTree tree = MrsHostTree.create(dir.resolve("Bigdata"), 10);
    KeyPair client;
    try {
      client = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot generate the demo client key", e);
    }
    Path key = dir.resolve("demo_client_key");
    try (OutputStream out = Files.newOutputStream(key)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "runbook-demo", null, out);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the demo client key", e);
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    List<DemoSshServer> servers = new ArrayList<>();
    StringBuilder knownHosts = new StringBuilder();
    StringBuilder config = new StringBuilder();
    for (String alias : List.of(ACTIVE, STANDBY)) {
      DemoSshServer server = DemoSshServer.start(client.getPublic());
      servers.add(server);
      knownHosts.append(server.knownHostsLine()).append('\n');
      config
          .append("Host ")
          .append(alias)
          .append("\n  HostName 127.0.0.1\n  Port ")
          .append(server.port())
          .append("\n  IdentityFile ")
          .append(key)
          .append("\n  UserKnownHostsFile ")
          .append(dir.resolve("known_hosts"))
          .append('\n');
    }
    Files.writeString(dir.resolve("known_hosts"), knownHosts);
    Path sshConfig = Files.writeString(dir.resolve("ssh_config"), config);
    return new DemoLab(dir, tree, servers, sshConfig);
  }

  public Path dir() {
    return dir;
  }

  public MrsHostTree tree() {
    return tree;
  }

  public Path sshConfig() {
    return sshConfig;
  }

  public List<Integer> ports() {
    return servers.stream().map(DemoSshServer::port).toList();
  }

  @Override
  public void close() throws IOException {
    for (DemoSshServer server : servers) {
      server.close();
    }
  }
}
