package dev.runbook.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an action would do, as a dry-run shows it.
 *
 * @param target where it would run, as {@link Target#describe()} says
 * @param command the exact command or operation, with secrets masked
 * @param changes whether it would change the system
 * @param environment the values the command receives as environment variables ({@link
 *     ShellScript}), secrets masked; empty when it takes none
 */
public record PlannedAction(
    String target, String command, boolean changes, Map<String, String> environment) {

  public PlannedAction {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(command, "command");
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
  }

  public PlannedAction(String target, String command, boolean changes) {
    this(target, command, changes, Map.of());
  }
}
