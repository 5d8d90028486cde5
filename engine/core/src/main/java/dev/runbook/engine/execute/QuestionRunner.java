package dev.runbook.engine.execute;

import dev.runbook.api.Secret;
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
    if (recorded.isPresent() && !run.journal.pausedAt(question.step()) && replayable(question)) {
      AuditEvent.Answered a = recorded.get();
      return Optional.of(
          new Answer(valueOf(question, a.answer()), a.via(), a.operator(), a.note()));
    }
    Optional<Answer> answer = run.options.answerer().ask(question);
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem = Answerer.problem(question, answer.get().value());
    if (problem.isPresent()) {
      boolean secret = question.kind() == Question.Kind.VALUE && question.capture().secret();
      run.listener()
          .progress(
              question.step(),
              "answer "
                  + (secret ? "(secret)" : "'" + run.redactor.redact(answer.get().value()) + "'")
                  + " ("
                  + answer.get().via()
                  + ") is not valid: "
                  + problem.get());
      return Optional.empty();
    }
    String text =
        switch (question.kind()) {
          case CONFIRM -> answer.get().yes() ? "done" : "no";
          case IN_DOUBT -> answer.get().yes() ? "run again" : "no";
          case VALUE -> question.capture().secret() ? Secret.MASK : answer.get().value();
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

  /** A secret captured value is recorded masked: a resumed run must ask for it again. */
  private static boolean replayable(Question question) {
    return question.kind() != Question.Kind.VALUE || !question.capture().secret();
  }

  /** The recorded text of an answer as the value it stands for. */
  private static String valueOf(Question question, String recorded) {
    if (question.kind() != Question.Kind.CONFIRM && question.kind() != Question.Kind.IN_DOUBT) {
      return recorded; // a case or a captured value is recorded as it is ("done" is a value too)
    }
    return switch (recorded) {
      case "done", "run again" -> "yes";
      default -> recorded;
    };
  }
}
