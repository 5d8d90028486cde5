package dev.runbook.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The contract of an action as a runbook author sees it.
 *
 * @param name the key that selects the action in a step, such as {@code shell} or {@code
 *     cert.inspect}
 * @param summary one sentence for {@code runbook show} and error messages
 * @param shorthand the input a scalar value fills ({@code shell: echo hi} sets {@code command}), or
 *     null when the action only takes a mapping
 * @param inputs the declared inputs, in the order documentation lists them
 * @param changesByDefault whether a step with this action changes the system unless it says {@code
 *     changes: false}
 */
public record ActionDescriptor(
    String name,
    String summary,
    String shorthand,
    Map<String, InputSpec> inputs,
    boolean changesByDefault) {

  public ActionDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(summary, "summary");
    // Not Map.copyOf: its iteration order is unspecified, and messages list the inputs.
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    if (shorthand != null && !inputs.containsKey(shorthand)) {
      throw new IllegalArgumentException(
          "action '" + name + "': shorthand input '" + shorthand + "' is not declared");
    }
  }
}
