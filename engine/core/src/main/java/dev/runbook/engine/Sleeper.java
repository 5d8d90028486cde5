package dev.runbook.engine;

import java.time.Duration;

/** How the engine waits; injected so tests can watch waits without slowing down. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  Sleeper REAL = duration -> Thread.sleep(Math.max(0, duration.toMillis()));
}
