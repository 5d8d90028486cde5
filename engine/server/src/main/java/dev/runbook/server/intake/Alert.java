package dev.runbook.server.intake;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One alert as a source sent it, before anything is decided about it.
 *
 * @param source {@code alertmanager} or {@code alarms}
 * @param key this occurrence, unique at its source: one firing alert is one run, a re-send of it
 *     has the same key (Alertmanager: fingerprint@startsAt)
 * @param names the names that may select a runbook, most specific first: {@code alertname}, then
 *     the {@code alarm} and {@code alarm_id} labels (Alertmanager), or the alarm given (plain)
 * @param firing true for firing, false for resolved (cleared)
 * @param labels the labels as sent
 * @param startsAt when the source says it began, or null
 * @param api the source's API to ask whether it still fires, or null
 */
public record Alert(
    String source,
    String key,
    List<String> names,
    boolean firing,
    Map<String, String> labels,
    Instant startsAt,
    URI api) {

  public Alert {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    names = List.copyOf(names);
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  /** The name shown for it: the first of its names, or {@code ?}. */
  public String name() {
    return names.isEmpty() ? "?" : names.get(0);
  }
}
