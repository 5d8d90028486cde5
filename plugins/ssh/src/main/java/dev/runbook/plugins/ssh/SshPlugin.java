package dev.runbook.plugins.ssh;

import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.api.Plugin;
import dev.runbook.api.TargetKind;
import dev.runbook.api.TransportProvider;
import java.util.List;

/**
 * The {@code ssh} transport: the {@code shell} action (and others) run on SSH targets through it.
 */
public final class SshPlugin implements Plugin {

  @Override
  public String id() {
    return "ssh";
  }

  @Override
  public List<TargetKind> targetKinds() {
    return List.of(
        TargetKind.value(
            "ssh",
            "host",
            List.of(
                InputSpec.optional("user", InputType.TEXT, "the login user"),
                InputSpec.optional("port", InputType.TEXT, "the SSH port (default 22)"),
                InputSpec.optional(
                    "become", InputType.TEXT, "a user to run commands as, through sudo"),
                InputSpec.optional("identity", InputType.TEXT, "a private key file"),
                InputSpec.optional("jump", InputType.TEXT, "a jump host (user@host:port)")),
            TargetKind.ShellDialect.POSIX,
            "a machine reached over SSH (OpenSSH config and known_hosts honoured)"));
  }

  @Override
  public List<TransportProvider> transports() {
    return List.of(new SshTransportProvider(SshSettings::fromEnvironment));
  }
}
