package dev.runbook.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outcome of one {@link Action#execute} call.
 *
 * <p>{@link #data()} is what conditions read as {@code result} (for commands: {@code exitCode},
 * {@code stdout}, {@code stderr}; for certificates: {@code daysLeft}, {@code subject} …). Values
 * must be JSON-like: String, Long, Double, Boolean, List and Map of those. An action that ran a
 * process says so with {@link #withExitCode}: the engine then records the code once, typed, and
 * conditions read it as {@code result.exitCode}.
 */
public final class StepResult {

  private final Map<String, Object> data;
  private final StepFailure failure;
  private final Long exitCode;

  private StepResult(Map<String, Object> data, StepFailure failure, Long exitCode) {
    Map<String, Object> copy = new LinkedHashMap<>(data);
    if (exitCode != null) {
      copy.put("exitCode", exitCode);
    }
    this.data = Collections.unmodifiableMap(copy);
    this.failure = failure;
    this.exitCode = exitCode;
  }

  public static StepResult succeeded(Map<String, Object> data) {
    return new StepResult(data, null, null);
  }

  public static StepResult failed(StepFailure failure, Map<String, Object> data) {
    return new StepResult(data, Objects.requireNonNull(failure, "failure"), null);
  }

  /** This result with the exit code of the process the action ran (also {@code data.exitCode}). */
  public StepResult withExitCode(long code) {
    return new StepResult(data, failure, code);
  }

  /** The exit code of the process the action ran, when it ran one. */
  public OptionalLong exitCode() {
    return exitCode == null ? OptionalLong.empty() : OptionalLong.of(exitCode);
  }

  public static StepResult failed(StepFailure failure) {
    return failed(failure, Map.of());
  }

  public boolean isSuccess() {
    return failure == null;
  }

  public Map<String, Object> data() {
    return data;
  }

  public Optional<StepFailure> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    return failure == null ? "succeeded " + data.keySet() : "failed: " + failure;
  }
}
