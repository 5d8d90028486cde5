package dev.runbook.plugins.cert;

import dev.runbook.plugins.shell.LocalTransport;
import dev.runbook.testkit.FakeActionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The testkit's fake action context as the cert actions' tests want it: the real local transport
 * (scripts really run), a clock standing still at {@code now}, a scratch directory, a timeout; and
 * the cert actions learn no secrets, so asking to mask one fails the test.
 */
final class LocalContext {

  private LocalContext() {}

  static FakeActionContext at(Instant now, Path scratch) {
    return at(now, scratch, Duration.ofSeconds(30));
  }

  static FakeActionContext at(Instant now, Path scratch, Duration timeout) {
    return new FakeActionContext(
            new LocalTransport(), FakeActionContext.frozenAt(now), timeout, scratch)
        .refusingSecrets();
  }
}
