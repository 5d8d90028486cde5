package dev.runbook.api;

import java.util.Objects;

/**
 * A word of a command's arguments that begins with a value (a parameter, an answer, an alert label,
 * a step's output) rather than with the runbook's own text. The engine lets such a word start with
 * {@code -} only where the runbook declared it may ({@code allow_leading_dash}); even then a plugin
 * must never read it as one of the flags its target owns (kubectl's {@code --namespace}, {@code
 * --kubeconfig}, {@code --server}, …): the target, not a value, decides those. Its {@link
 * #toString()} is the word itself, so a plugin that needs only the text reads it as any other word.
 */
public record ValueWord(String text) {

  public ValueWord {
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return text;
  }
}
