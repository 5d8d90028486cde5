package dev.runbook.plugins.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where and as whom to connect, after the target's settings and the OpenSSH config are applied.
 *
 * @param alias the name the runbook used (a Host alias in the ssh config, or the host itself)
 * @param become a user to run commands as with sudo, or null
 * @param jump the host to connect through (ProxyJump), or null
 */
record SshEndpoint(
    String alias,
    String host,
    int port,
    String user,
    List<Path> identities,
    Path knownHosts,
    String become,
    String jump) {

  SshEndpoint {
    identities = List.copyOf(identities);
  }

  String describe() {
    return user
        + "@"
        + host
        + ":"
        + port
        + (alias.equals(host) ? "" : " (" + alias + ")")
        + (jump == null ? "" : " via " + jump);
  }

  /** The name known_hosts uses: {@code host} on port 22, {@code [host]:port} otherwise. */
  String knownHostsName() {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  String identityNames() {
    return identities.isEmpty()
        ? "ssh-agent"
        : identities.stream().map(Path::toString).collect(Collectors.joining(", "));
  }
}
