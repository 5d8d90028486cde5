package dev.runbook.engine;

import dev.runbook.engine.validate.ParamValues;
import java.util.Optional;

/**
 * Gets answers from people. Implementations: answers given up front ({@code --answer}, an answers
 * file), a terminal prompt, or a chain of those.
 */
@FunctionalInterface
public interface Answerer {

  /**
   * The answer, or empty when none can be had now: the run then pauses and records why.
   *
   * @throws InterruptedException when the run is cancelled while waiting for a person
   */
  Optional<Answer> ask(Question question) throws InterruptedException;

  /** Why {@code value} does not answer {@code question}, or empty. */
  static Optional<String> problem(Question question, String value) {
    return switch (question.kind()) {
      case YES_NO, CONFIRM, IN_DOUBT, APPROVE ->
          value.equals("yes") || value.equals("no")
              ? Optional.empty()
              : Optional.of("the answer must be yes or no");
      case CHOICE ->
          question.choices().contains(value)
              ? Optional.empty()
              : Optional.of("the answer must be one of " + String.join(", ", question.choices()));
      case VALUE -> ParamValues.problem(question.capture(), value);
    };
  }

  /** No one to ask: every question pauses the run. */
  Answerer NOBODY = question -> Optional.empty();

  /** This answerer, then {@code next} when this one has no answer. */
  default Answerer orElse(Answerer next) {
    return question -> {
      Optional<Answer> answer = ask(question);
      return answer.isPresent() ? answer : next.ask(question);
    };
  }
}
