package dev.runbook.engine;

import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers given before a run ({@code --answer}, an answers file) are checked against the questions
 * they answer before anything runs: a host that is not a host, or a case the question does not
 * have, refuses the run with one line, instead of pausing it at 3 a.m. with the step half way.
 */
final class GivenAnswerCheck {

  private GivenAnswerCheck() {}

  static void check(Runbook runbook, RunRequest.GivenAnswers source) throws Refused {
    for (Map.Entry<String, Answer> given : source.byStep().entrySet()) {
      String id = stepId(given.getKey());
      Optional<Question> question = questionOf(runbook, id);
      if (question.isEmpty()) {
        continue;
      }
      String value = Answer.normalize(given.getValue().value(), question.get());
      Optional<String> problem = Answerer.problem(question.get(), value);
      if (problem.isPresent()) {
        ParamSpec capture = question.get().capture();
        String shown = capture != null && capture.secret() ? "the value" : "'" + value + "'";
        throw new Refused(
            Refused.Reason.USAGE,
            source.via()
                + " "
                + given.getKey()
                + ": "
                + (capture == null
                    ? problem.get() + ", not " + shown
                    : "step '"
                        + id
                        + "' captures "
                        + capture.name()
                        + " ("
                        + capture.type().label()
                        + "): "
                        + shown
                        + " "
                        + problem.get()));
      }
    }
  }

  /** The step id an answer names: {@code find-host}, or a path such as {@code call@1/ask@2}. */
  static String stepId(String name) {
    return name.replaceAll(".*/", "").replaceAll("\\[\\d+\\]$", "").replaceAll("@\\d+$", "");
  }

  /** The question a step asks (its text left out), or empty for a step that asks none. */
  static Optional<Question> questionOf(Runbook runbook, String id) {
    return Engine.stepsOf(runbook).stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .flatMap(GivenAnswerCheck::questionOf);
  }

  private static Optional<Question> questionOf(Step step) {
    StepKind kind = step.kind();
    ParamSpec capture = StepKind.captureOf(kind);
    Question.Kind asked;
    List<String> choices = List.of();
    if (capture != null) {
      asked = Question.Kind.VALUE;
    } else if (kind instanceof StepKind.Ask && step.cases() != null) {
      asked = Question.Kind.CHOICE;
      choices = step.cases().answers();
    } else if (kind instanceof StepKind.Ask) {
      asked = Question.Kind.YES_NO;
    } else if (kind instanceof StepKind.Manual) {
      asked = Question.Kind.CONFIRM;
    } else if (kind instanceof StepKind.ActionCall) {
      asked = Question.Kind.IN_DOUBT;
    } else {
      return Optional.empty();
    }
    return Optional.of(new Question(step.id(), step.id(), "", asked, choices, capture));
  }
}
