package dev.runbook.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@link Action#execute} call.
 *
 * <p>{@link #data()} is what conditions read as {@code result} (for commands: {@code exitCode},
 * {@code stdout}, {@code stderr}; for certificates: {@code daysLeft}, {@code subject} …). Values
 * must be JSON-like: String, Long, Double, Boolean, List and Map of those.
 */
public final class StepResult {

  private final Map<String, Object> data;
  private final StepFailure failure;

  private StepResult(Map<String, Object> data, StepFailure failure) {
    this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    this.failure = failure;
  }

  public static StepResult succeeded(Map<String, Object> data) {
    return new StepResult(data, null);
  }

  public static StepResult failed(StepFailure failure, Map<String, Object> data) {
    return new StepResult(data, Objects.requireNonNull(failure, "failure"));
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
