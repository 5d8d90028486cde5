package dev.runbook.engine.execute;

import dev.runbook.engine.Answer;
import dev.runbook.engine.Answerer;
import dev.runbook.engine.Question;
import dev.runbook.engine.RunRequest;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.flow.Exit;
import dev.runbook.engine.flow.StepOutcome;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import java.util.Optional;

/**
 * The run's approval policy: with {@link RunRequest.Approval#BEFORE_FIRST_CHANGE} (runs an alert
 * started), the run stops before its first step that changes the system until a person approves.
 * The approval is asked through the run's answerer like any question and recorded as an {@code
 * answer} of kind {@code approval}, naming who approved; once approved, later changes of the run go
 * ahead. A no ends the run escalated before anything was changed.
 *
 * <p>Consulted before a step starts, so a run paused here has nothing in doubt. Thread-safe ({@code
 * foreach parallel} items reach it at once; one is asked, the others pause with it).
 */
final class ApprovalGate {

  private final RunContext run;
  private boolean approved;

  ApprovalGate(RunContext run) {
    this.run = run;
    this.approved = run.journal.approved();
  }

  /** Empty when the step may start; else how the run stops here (paused, or ended by a no). */
  synchronized Optional<StepOutcome> before(Step step, String path) throws InterruptedException {
    if (approved
        || run.options.approval() == RunRequest.Approval.NONE
        || !(step.kind() instanceof StepKind.ActionCall call)
        || !run.changes(call)) {
      return Optional.empty();
    }
    String text =
        "Step '"
            + step.id()
            + "'"
            + (step.title() == null ? "" : " (" + step.title() + ")")
            + " is the first step of this run that changes the system. Approve it and the"
            + " changes after it? (no: end the run escalated, nothing changed)";
    Question question = new Question(path, step.id(), text, Question.Kind.APPROVE);
    Optional<Answer> answer = answer(question);
    if (answer.isEmpty()) {
      return Optional.of(
          StepOutcome.exit(
              new Exit.Paused(path, text, "waiting for approval", question.accepted(), true)));
    }
    if (!answer.get().yes()) {
      return Optional.of(
          StepOutcome.exit(
              new Exit.End(
                  Outcome.ESCALATED,
                  "the change at step '"
                      + step.id()
                      + "' was not approved (by "
                      + answer.get().operator()
                      + "); nothing was changed")));
    }
    approved = true;
    return Optional.empty();
  }

  private Optional<Answer> answer(Question question) throws InterruptedException {
    Optional<AuditEvent.Answered> recorded = run.journal.approval(question.step());
    if (recorded.isPresent()) {
      AuditEvent.Answered a = recorded.get();
      return Optional.of(new Answer(a.answer(), a.via(), a.operator(), a.note()));
    }
    Optional<Answer> answer = run.options.answerer().ask(question);
    if (answer.isEmpty()) {
      return answer;
    }
    Optional<String> problem = Answerer.problem(question, answer.get().value());
    if (problem.isPresent()) {
      run.listener()
          .progress(
              question.step(),
              "approval '" + answer.get().value() + "' is not valid: " + problem.get());
      return Optional.empty();
    }
    run.emit(
        new AuditEvent.Answered(
            question.step(),
            question.text(),
            answer.get().value(),
            answer.get().operator(),
            answer.get().via(),
            answer.get().note() == null ? null : run.redactor.redact(answer.get().note()),
            run.options.osUser(),
            AuditEvent.Answered.APPROVAL));
    return answer;
  }
}
