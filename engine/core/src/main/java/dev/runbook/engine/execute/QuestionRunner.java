package dev.runbook.engine.execute;

import dev.runbook.engine.Answer;
import dev.runbook.engine.Answerer;
import dev.runbook.engine.Question;
import dev.runbook.engine.audit.AuditEvent;
import java.util.Optional;

/**
 * Asks a person, or takes the answer the journal already has. No answer to be had means the run
 * pauses; the question and why are recorded so {@code runbook resume} can continue.
 *
 * <p>A recorded answer is replayed, so a resumed run takes the path the person chose, except the
 * answer the run paused on (a manual step answered "not done yet"): that question is asked again,
 * and the new answer is recorded as a new {@code answer} event.
 */
final class QuestionRunner {

  private final RunContext run;

  QuestionRunner(RunContext run) {
    this.run = run;
  }

  /** The answer, or empty when the run must pause. */
  Optional<Answer> ask(Question question) throws InterruptedException {
    Optional<AuditEvent.Answered> recorded = run.journal.answer(question.step());
    if (recorded.isPresent() && !run.journal.pausedAt(question.step())) {
      AuditEvent.Answered a = recorded.get();
      return Optional.of(new Answer(valueOf(a.answer()), a.via(), a.operator(), a.note()));
    }
    Optional<Answer> answer = run.options.answerer().ask(question);
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem = Answerer.problem(question, answer.get().value());
    if (problem.isPresent()) {
      run.listener()
          .progress(
              question.step(),
              "answer '"
                  + answer.get().value()
                  + "' ("
                  + answer.get().via()
                  + ") is not valid: "
                  + problem.get());
      return Optional.empty();
    }
    String text =
        switch (question.kind()) {
          case CONFIRM -> answer.get().yes() ? "done" : "no";
          case IN_DOUBT -> answer.get().yes() ? "run again" : "no";
          default -> answer.get().value();
        };
    run.emit(
        new AuditEvent.Answered(
            question.step(),
            question.text(),
            run.redactor.redact(text),
            answer.get().operator(),
            answer.get().via(),
            answer.get().note() == null ? null : run.redactor.redact(answer.get().note()),
            run.options.osUser()));
    return answer;
  }

  /** The recorded text of an answer as the value it stands for. */
  private static String valueOf(String recorded) {
    return switch (recorded) {
      case "done", "run again" -> "yes";
      default -> recorded;
    };
  }
}
