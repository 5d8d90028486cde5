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

  /**
   * Starts a descriptor: inputs are added in the order messages and {@code runbook actions} list
   * them, each named once.
   */
  public static Builder builder(String name, String summary) {
    return new Builder(name, summary);
  }

  /** A descriptor under construction. */
  public static final class Builder {
    private final String name;
    private final String summary;
    private final Map<String, InputSpec> inputs = new LinkedHashMap<>();
    private String shorthand;
    private boolean changesByDefault = true;

    private Builder(String name, String summary) {
      this.name = name;
      this.summary = summary;
    }

    public Builder required(String input, InputType type, String doc) {
      return add(InputSpec.required(input, type, doc));
    }

    public Builder optional(String input, InputType type, String doc) {
      return add(InputSpec.optional(input, type, doc));
    }

    private Builder add(InputSpec spec) {
      if (inputs.putIfAbsent(spec.name(), spec) != null) {
        throw new IllegalArgumentException(
            "action '" + name + "': input '" + spec.name() + "' is declared twice");
      }
      return this;
    }

    /**
     * The input a step gives as the action's own value ({@code shell: echo hi} for {@code shell:
     * {command: echo hi}}): the one added last.
     */
    public Builder shorthand() {
      if (inputs.isEmpty()) {
        throw new IllegalStateException("action '" + name + "': no input to be the shorthand");
      }
      this.shorthand = inputs.keySet().stream().reduce((a, b) -> b).orElseThrow();
      return this;
    }

    /** Whether the action changes the system unless a step says otherwise (default true). */
    public Builder changesByDefault(boolean value) {
      this.changesByDefault = value;
      return this;
    }

    public ActionDescriptor build() {
      return new ActionDescriptor(name, summary, shorthand, inputs, changesByDefault);
    }
  }
}
