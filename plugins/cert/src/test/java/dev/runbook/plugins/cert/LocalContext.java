package dev.runbook.plugins.cert;

import dev.runbook.plugins.shell.LocalTransport;
import dev.runbook.testkit.FakeActionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The testkit's fake action context as the cert actions' tests want it: the real local transport
 * (scripts really run), a clock standing still at {@code now}, a scratch directory, a timeout.
 */
final class LocalContext {

  private LocalContext() {}

  static FakeActionContext at(Instant now, Path scratch) {
    return at(now, scratch, Duration.ofSeconds(30));
  }

  static FakeActionContext at(Instant now, Path scratch, Duration timeout) {
    return FakeActionContext.builder()
        .transport(new LocalTransport())
        .at(now)
        .scratchDirectory(scratch)
        .timeout(timeout)
        .build();
  }
}
