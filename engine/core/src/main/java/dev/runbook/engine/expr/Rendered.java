package dev.runbook.engine.expr;

import dev.runbook.api.Secret;
import java.util.List;

/**
 * A template with its references filled in.
 *
 * @param text the real text, to hand to the target system
 * @param masked the text to show: secrets as {@code ****}
 * @param secret whether any secret went into it
 * @param unresolved references that had no value (shown as {@code <path>}); a real run refuses to
 *     use a rendering with any
 */
public record Rendered(String text, String masked, boolean secret, List<String> unresolved) {

  public Rendered {
    unresolved = List.copyOf(unresolved);
  }

  /** The value to put in an action request: a {@link Secret} when it holds one. */
  public Object forRequest() {
    return secret ? Secret.within(text, masked) : text;
  }
}
