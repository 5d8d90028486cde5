package dev.runbook.plugins.shell;

import dev.runbook.api.Action;
import dev.runbook.api.Plugin;
import dev.runbook.api.TargetKind;
import dev.runbook.api.TransportProvider;
import java.util.List;

/** The {@code shell} action (runs on any target's transport) and the {@code local} transport. */
public final class ShellPlugin implements Plugin {

  @Override
  public String id() {
    return "shell";
  }

  @Override
  public List<Action> actions() {
    return List.of(new ShellAction());
  }

  @Override
  public List<TargetKind> targetKinds() {
    return List.of(
        TargetKind.flag(
            "local",
            TargetKind.ShellDialect.POSIX,
            "the engine's own machine (every step without 'on:' runs here)"));
  }

  @Override
  public List<TransportProvider> transports() {
    return List.of(new LocalTransportProvider());
  }
}
