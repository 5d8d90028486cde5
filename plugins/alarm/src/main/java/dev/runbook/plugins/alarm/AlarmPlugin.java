package dev.runbook.plugins.alarm;

import dev.runbook.api.Action;
import dev.runbook.api.Plugin;
import java.util.List;

/**
 * {@code alarm.cleared}: asks the source of the alarm that started a run whether it still fires.
 */
public final class AlarmPlugin implements Plugin {

  @Override
  public String id() {
    return "alarm";
  }

  @Override
  public List<Action> actions() {
    return List.of(new AlarmClearedAction(new AlertmanagerApi()));
  }
}
