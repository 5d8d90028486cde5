package dev.runbook.api;

import java.time.Duration;
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
}
