package dev.runbook.api;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The alarm that started a run, for the actions that ask about it ({@code alarm.cleared}). A run
 * started by a person has none; a run started by {@code runbook serve} has the alert it received.
 *
 * <p>Implementations are supplied by the caller that started the run (the server) and are
 * thread-safe: {@link #resolved()} may change while the run goes on.
 */
public interface Alarm {

  /**
   * Where the alarm came from: {@code alertmanager} (Prometheus Alertmanager's webhook) or {@code
   * alarms} (the plain JSON intake).
   */
  String source();

  /**
   * This occurrence of the alarm, unique at its source: for Alertmanager its fingerprint and start
   * time ({@code 4f2a…@2026-11-22T03:15:02Z}), for the plain intake the id the source gave.
   */
  String id();

  /** The alarm's name, such as {@code ALM-45654}. */
  String name();

  /** The alarm's labels as the source sent them; never null. */
  Map<String, String> labels();

  /**
   * The base URL of the source's API that can say whether the alarm is still firing (for an
   * Alertmanager alert: Alertmanager's own URL, serving {@code /api/v2/alerts}), or empty when the
   * source has none to ask.
   */
  Optional<URI> api();

  /** Whether the receiver has been told since that the alarm is resolved (cleared). */
  boolean resolved();
}
