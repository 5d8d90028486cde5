package dev.runbook.server.match;

import dev.runbook.engine.Engine;
import dev.runbook.engine.Refused;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Trigger;
import dev.runbook.server.intake.Alert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which runbook an alert starts, and with which values: an alert whose name ({@code alertname}, or
 * its {@code alarm} / {@code alarm_id} label) is one of a runbook's {@code alarms:} selects it, if
 * its labels satisfy the runbook's {@code trigger:} matchers; labels named like a parameter, and
 * the trigger's templates, give the values, which go through the same checks as {@code -p}.
 *
 * <p>Built once when the server starts, from the library: two runbooks that claim one alarm stop
 * the server from starting, naming both. Thread-safe (immutable).
 */
public final class AlertRouter {

  private final Engine engine;
  private final Map<String, Runbook> byAlarm;
  private final Map<String, String> invalid;

  private AlertRouter(Engine engine, Map<String, Runbook> byAlarm, Map<String, String> invalid) {
    this.engine = engine;
    this.byAlarm = byAlarm;
    this.invalid = invalid;
  }

  /**
   * @throws Refused {@link Refused.Reason#AMBIGUOUS_RUNBOOK} when two runbooks claim one alarm
   */
  public static AlertRouter of(Engine engine) throws Refused {
    Engine.Catalog catalog = engine.catalog();
    if (!catalog.conflicts().isEmpty()) {
      throw new Refused(
          Refused.Reason.AMBIGUOUS_RUNBOOK,
          // The conflicts themselves are the refusal's problems, each shown on its own line.
          "runbook serve will not start: each alarm must select one runbook",
          catalog.conflicts());
    }
    Map<String, Runbook> byAlarm = new LinkedHashMap<>();
    Map<String, String> invalid = new LinkedHashMap<>();
    for (Engine.Catalog.Entry entry : catalog.entries()) {
      Runbook runbook = entry.runbook();
      if (runbook == null) {
        continue;
      }
      for (String alarm : runbook.alarms()) {
        String name = alarm.toLowerCase(Locale.ROOT);
        if (entry.valid()) {
          byAlarm.put(name, runbook);
        } else {
          invalid.put(
              name,
              "runbook "
                  + runbook.id()
                  + " ("
                  + entry.file()
                  + ") answers to it but has "
                  + entry.problems().size()
                  + " problem(s); fix them first (runbook validate "
                  + entry.file()
                  + ")");
        }
      }
    }
    return new AlertRouter(engine, byAlarm, invalid);
  }

  /** How many alarm names select a runbook. */
  public int alarms() {
    return byAlarm.size();
  }

  /** The distinct runbooks an alert can start. */
  public List<Runbook> runbooks() {
    return byAlarm.values().stream().distinct().toList();
  }

  /** Where an alert goes. */
  public sealed interface Route {
    /** It starts {@code runbook} with {@code values}. */
    record Matched(Runbook runbook, Map<String, String> values) implements Route {}

    /** No runbook takes it; {@code reason} says why. */
    record Unmatched(String reason) implements Route {}

    /** A runbook takes it, but not with these labels: nothing runs. */
    record Rejected(String runbook, String reason) implements Route {}
  }

  public Route route(Alert alert) {
    List<String> missed = new ArrayList<>();
    for (String name : alert.names()) {
      String key = name.toLowerCase(Locale.ROOT);
      Runbook runbook = byAlarm.get(key);
      if (runbook == null) {
        if (invalid.containsKey(key)) {
          return new Route.Rejected(null, invalid.get(key));
        }
        missed.add(name);
        continue;
      }
      Trigger trigger = runbook.trigger();
      if (!trigger.matches(alert.labels())) {
        return new Route.Unmatched(
            "its labels do not satisfy the trigger of runbook "
                + runbook.id()
                + " ("
                + String.join(", ", trigger.matchers().stream().map(Object::toString).toList())
                + ")");
      }
      Map<String, String> given = trigger.values(alert.labels(), runbook.params().keySet());
      try {
        return new Route.Matched(runbook, engine.checkParameters(runbook, given, true).values());
      } catch (Refused e) {
        return new Route.Rejected(runbook.id(), e.getMessage());
      }
    }
    return new Route.Unmatched(
        missed.isEmpty()
            ? "it has no alertname, alarm or alarm_id label to select a runbook by"
            : "no runbook answers to " + String.join(" or ", missed));
  }
}
