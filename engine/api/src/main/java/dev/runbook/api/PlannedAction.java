package dev.runbook.api;

import java.util.Objects;

/**
 * What an action would do, as a dry-run shows it.
 *
 * @param target where it would run, as {@link Target#describe()} says
 * @param command the exact command or operation, with secrets masked
 * @param changes whether it would change the system
 */
public record PlannedAction(String target, String command, boolean changes) {

  public PlannedAction {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(command, "command");
  }
}
