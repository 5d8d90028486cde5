package dev.runbook.engine.execute;

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
