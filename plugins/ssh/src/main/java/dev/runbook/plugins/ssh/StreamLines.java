package dev.runbook.plugins.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Reads a remote stream line by line on its own thread, keeping the first {@code cap} characters.
 */
final class StreamLines implements Runnable {

  static final int CAP = 1 << 20;

  private final InputStream in;
  private final Predicate<String> each;
  private final StringBuilder kept = new StringBuilder();
  private volatile boolean truncated;
  private volatile IOException failure;

  /**
   * @param each receives every line and says whether to keep it in the captured text
   */
  StreamLines(InputStream in, Predicate<String> each) {
    this.in = in;
    this.each = each;
  }

  @Override
  public void run() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!each.test(line)) {
          continue;
        }
        synchronized (kept) {
          if (kept.length() + line.length() + 1 <= CAP) {
            kept.append(line).append('\n');
          } else {
            truncated = true;
          }
        }
      }
    } catch (IOException e) {
      failure = e;
    }
  }

  String text() {
    synchronized (kept) {
      return kept.toString();
    }
  }

  boolean truncated() {
    return truncated;
  }

  IOException failure() {
    return failure;
  }
}
