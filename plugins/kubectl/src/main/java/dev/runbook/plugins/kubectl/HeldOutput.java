package dev.runbook.plugins.kubectl;

import dev.runbook.api.OutputSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard output held back from the engine until the action has masked the secrets in it, then
 * released in the order it arrived; standard error (kubectl's messages) passes straight through.
 * Thread-safe.
 */
final class HeldOutput implements OutputSink {

  private final OutputSink downstream;
  private final List<String> stdout = new ArrayList<>();

  HeldOutput(OutputSink downstream) {
    this.downstream = downstream;
  }

  @Override
  public synchronized void stdout(String line) {
    stdout.add(line);
  }

  @Override
  public void stderr(String line) {
    downstream.stderr(line);
  }

  synchronized void releaseStdout() {
    stdout.forEach(downstream::stdout);
    stdout.clear();
  }
}
