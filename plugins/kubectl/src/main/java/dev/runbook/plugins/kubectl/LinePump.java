package dev.runbook.plugins.kubectl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads one output stream of a process on its own thread: each line goes to {@code sink} as it
 * arrives, and the first {@code cap} characters are kept for the step's result (the sink sees
 * everything; the engine keeps the whole stream in the run's directory).
 */
final class LinePump implements Runnable {

  private final InputStream stream;
  private final Consumer<String> sink;
  private final int cap;
  private final StringBuilder kept = new StringBuilder();
  private final Thread thread;
  private boolean truncated;

  private LinePump(InputStream stream, Consumer<String> sink, int cap, String name) {
    this.stream = stream;
    this.sink = sink;
    this.cap = cap;
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
  }

  static LinePump start(InputStream stream, Consumer<String> sink, int cap, String name) {
    LinePump pump = new LinePump(stream, sink, cap, name);
    pump.thread.start();
    return pump;
  }

  @Override
  public void run() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        sink.accept(line);
        keep(line);
      }
    } catch (IOException e) {
      // the process was killed or closed its end: what was read is kept
    }
  }

  private synchronized void keep(String line) {
    if (kept.length() + line.length() + 1 <= cap) {
      kept.append(line).append('\n');
    } else {
      truncated = true;
    }
  }

  /**
   * Waits until the stream has ended, at most {@code limit}: a child that inherited the stream may
   * keep it open after the process itself has gone.
   */
  void await(Duration limit) throws InterruptedException {
    thread.join(Math.max(1, limit.toMillis()));
  }

  synchronized String text() {
    return kept.toString();
  }

  synchronized boolean truncated() {
    return truncated;
  }
}
