package dev.runbook.engine.model;

import java.time.Duration;

/**
 * How often an action is tried in all, and how long to wait between tries.
 *
 * @param attempts at least 1
 * @param delay the wait between attempts
 */
public record Retry(int attempts, Duration delay) {

  public static final Retry NONE = new Retry(1, Duration.ZERO);

  public Retry {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
  }
}
