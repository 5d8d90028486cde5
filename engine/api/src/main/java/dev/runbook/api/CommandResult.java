package dev.runbook.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a command ended.
 *
 * @param exitCode the process's exit status
 * @param stdout captured standard output, cut to the transport's cap; captured line by line, so a
 *     last line without a newline ends with one
 * @param stderr captured standard error, cut to the transport's cap
 * @param truncated whether either stream was cut (the whole of it is in the scratch directory)
 * @param duration wall time from start to end
 */
public record CommandResult(
    int exitCode, String stdout, String stderr, boolean truncated, Duration duration) {

  public CommandResult {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    Objects.requireNonNull(duration, "duration");
  }

  /** Standard output without the newline that line-by-line capture leaves at its end. */
  public String stdoutText() {
    return chomp(stdout);
  }

  /** Standard error without its trailing newline. */
  public String stderrText() {
    return chomp(stderr);
  }

  /**
   * The last non-blank line of standard error, cut to 200 characters: what a failure message
   * quotes. Empty when the command wrote nothing there.
   */
  public String lastErrorLine() {
    List<String> lines = stderr.strip().lines().toList();
    if (lines.isEmpty()) {
      return "";
    }
    String last = lines.get(lines.size() - 1).strip();
    return last.length() > 200 ? last.substring(0, 200) + "…" : last;
  }

  private static String chomp(String text) {
    return text.endsWith("\n")
        ? text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1))
        : text;
  }
}
