package dev.runbook.plugins.shell;

import dev.runbook.api.OutputSink;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.apache.commons.exec.LogOutputStream;

/**
 * One output stream of a process: each line goes to the sink as it arrives, and the first {@code
 * cap} characters are kept for the step's result. The sink sees everything, so nothing is lost past
 * the cap: the engine writes the whole stream to the run's directory.
 */
final class CappedLines extends LogOutputStream {

  static final int DEFAULT_CAP = 1 << 20;

  private final BiConsumer<OutputSink, String> forward;
  private final OutputSink sink;
  private final int cap;
  private final StringBuilder kept = new StringBuilder();
  private boolean truncated;

  CappedLines(OutputSink sink, BiConsumer<OutputSink, String> forward, int cap) {
    super(0, StandardCharsets.UTF_8);
    this.sink = sink;
    this.forward = forward;
    this.cap = cap;
  }

  @Override
  protected synchronized void processLine(String line, int level) {
    forward.accept(sink, line);
    if (kept.length() + line.length() + 1 <= cap) {
      kept.append(line).append('\n');
    } else {
      truncated = true;
    }
  }

  synchronized String text() {
    return kept.toString();
  }

  synchronized boolean truncated() {
    return truncated;
  }
}
