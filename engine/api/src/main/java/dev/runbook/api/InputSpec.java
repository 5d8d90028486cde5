package dev.runbook.api;

import java.util.Objects;

/**
 * One input of an action.
 *
 * @param name the key in the step's mapping
 * @param type how the engine checks and renders the value
 * @param required whether a step must give it
 * @param doc one sentence for documentation
 */
public record InputSpec(String name, InputType type, boolean required, String doc) {

  public InputSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(doc, "doc");
  }

  public static InputSpec required(String name, InputType type, String doc) {
    return new InputSpec(name, type, true, doc);
  }

  public static InputSpec optional(String name, InputType type, String doc) {
    return new InputSpec(name, type, false, doc);
  }
}
