package dev.runbook.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One step's call of an action, with every {@code ${...}} already resolved.
 *
 * @param stepId the step's id, for messages
 * @param inputs resolved inputs: {@code String}, {@code Long}, {@code Boolean}, {@code
 *     java.time.Duration}, {@code List<String>}, {@code Map<String, String>}, {@link Secret}, or
 *     for a {@link InputType#SHELL} input a {@link ShellScript}; a list item or map value may be a
 *     {@link Secret}; absent optional inputs are absent keys
 * @param target where the step runs
 * @param changes whether the step is declared to change the system
 */
public record ActionRequest(
    String stepId, Map<String, Object> inputs, Target target, boolean changes) {

  public ActionRequest {
    Objects.requireNonNull(stepId, "stepId");
    Objects.requireNonNull(target, "target");
    // Map.copyOf would reject nothing here but loses order, which previews show.
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
  }

  /** The input as text, or null when absent; a {@link Secret} is revealed. */
  public String text(String name) {
    Object value = inputs.get(name);
    if (value == null) {
      return null;
    }
    return value instanceof Secret secret ? secret.reveal() : value.toString();
  }

  /**
   * A {@link InputType#SHELL} input: the line, and the values it references as environment
   * variables; null when absent.
   */
  public ShellScript shell(String name) {
    Object value = inputs.get(name);
    if (value == null) {
      return null;
    }
    return value instanceof ShellScript script ? script : ShellScript.of(text(name));
  }

  /** The input as it was given to the preview: a {@link Secret} shows as {@code ****}. */
  public String masked(String name) {
    Object value = inputs.get(name);
    return value == null ? null : value.toString();
  }
}
