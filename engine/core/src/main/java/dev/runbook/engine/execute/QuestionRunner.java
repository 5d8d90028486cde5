package dev.runbook.engine.execute;

import dev.runbook.engine.audit.AuditEvent;
import java.util.Optional;

/**
 * Asks a person, or takes the answer the journal already has. No answer to be had means the run
 * pauses; the question and why are recorded so {@code runbook resume} can continue.
 */
final class QuestionRunner {

  private final RunContext run;

  QuestionRunner(RunContext run) {
    this.run = run;
  }

  /** The answer, or empty when the run must pause. */
  Optional<Boolean> ask(Question question) throws InterruptedException {
    Optional<AuditEvent.Answered> recorded = run.journal.answer(question.step());
    if (recorded.isPresent()) {
      return Optional.of(!recorded.get().answer().equals("no"));
    }
    Optional<Answer> answer = run.options.answerer().ask(question);
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    String text =
        switch (question.kind()) {
          case CONFIRM -> answer.get().yes() ? "done" : "no";
          case IN_DOUBT -> answer.get().yes() ? "run again" : "no";
          default -> answer.get().yes() ? "yes" : "no";
        };
    run.emit(
        new AuditEvent.Answered(
            question.step(), question.text(), text, answer.get().operator(), answer.get().via()));
    return Optional.of(answer.get().yes());
  }
}
