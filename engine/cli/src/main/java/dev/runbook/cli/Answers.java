package dev.runbook.cli;

import dev.runbook.engine.execute.Answer;
import dev.runbook.engine.execute.Answerer;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.parse.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Where a run's answers come from: {@code --answer}, an answers file, then the terminal. Answers
 * given up front name steps by id (or by path, {@code renew@1/confirm@1}); a name the runbook does
 * not have is refused before anything runs, with the nearest step id.
 */
final class Answers {

  private Answers() {}

  /** An answer given up front, and the note that goes with it. */
  record Given(String value, String note) {}

  /** Answers given up front, by step id (or step path), from flags or a file. */
  static Answerer given(Map<String, Given> answers, String via, String operator) {
    return question -> {
      Given given =
          answers.containsKey(question.step())
              ? answers.get(question.step())
              : answers.get(question.stepId());
      return Optional.ofNullable(given)
          .map(g -> new Answer(normalize(g.value()), via, operator, g.note()));
    };
  }

  /** {@code --answer STEP=VALUE} with any {@code --note STEP=TEXT}. */
  static Map<String, Given> fromFlags(Map<String, String> answers, Map<String, String> notes) {
    Map<String, Given> given = new LinkedHashMap<>();
    answers.forEach((step, value) -> given.put(step, new Given(value, notes.get(step))));
    return given;
  }

  /**
   * An answers file: {@code step: yes}, {@code step: 10.0.0.5}, or {@code step: {answer: no, note:
   * disk still full}}.
   */
  static Map<String, Given> readFile(Path file) {
    Object loaded;
    try {
      loaded =
          new Load(LoadSettings.builder().setLabel(file.toString()).build())
              .loadFromString(Files.readString(file));
    } catch (IOException e) {
      throw new UserException(
          ExitCodes.USAGE, "cannot read answers file " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new UserException(
          ExitCodes.USAGE, "answers file " + file + " is not YAML: " + e.getMessage());
    }
    if (!(loaded instanceof Map<?, ?> map)) {
      throw new UserException(
          ExitCodes.USAGE,
          "answers file " + file + " must map step ids to answers, like 'periodic-check: no'");
    }
    Map<String, Given> answers = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> detail) {
            Object answer = detail.get("answer");
            if (answer == null) {
              throw new UserException(
                  ExitCodes.USAGE,
                  "answers file "
                      + file
                      + ": step "
                      + k
                      + " needs 'answer:' (and may have 'note:')");
            }
            Object note = detail.get("note");
            answers.put(
                String.valueOf(k),
                new Given(String.valueOf(answer), note == null ? null : String.valueOf(note)));
          } else {
            answers.put(String.valueOf(k), new Given(String.valueOf(v), null));
          }
        });
    return answers;
  }

  /** yes, y, true, done mean yes; no, n, false mean no; anything else is a value or a case. */
  static String normalize(String text) {
    String word = text.strip().toLowerCase(Locale.ROOT);
    return switch (word) {
      case "yes", "y", "true", "done" -> "yes";
      case "no", "n", "false" -> "no";
      default -> text.strip();
    };
  }

  /** Why {@code value} does not answer {@code question}, or empty. */
  static Optional<String> problem(dev.runbook.engine.execute.Question question, String value) {
    return dev.runbook.engine.execute.Answerer.problem(question, value);
  }

  /**
   * Refuses answers (and notes) for steps the runbook does not have, naming the nearest one, before
   * anything runs: a misspelt answer would otherwise be ignored and the run would pause there.
   */
  static void checkSteps(Runbook runbook, Set<String> named, String via) {
    Set<String> ids = stepIds(runbook);
    for (String name : named) {
      String id = name.replaceAll(".*/", "").replaceAll("\\[\\d+\\]$", "").replaceAll("@\\d+$", "");
      if (!ids.contains(id)) {
        throw new UserException(
            ExitCodes.USAGE,
            via
                + " "
                + name
                + ": runbook "
                + runbook.id()
                + " has no step '"
                + id
                + "'"
                + Suggestions.hint(id, ids));
      }
    }
  }

  static Set<String> stepIds(Runbook runbook) {
    Set<String> ids = new LinkedHashSet<>();
    runbook.steps().stream().map(Step::id).forEach(ids::add);
    runbook.procedures().values().forEach(p -> p.steps().stream().map(Step::id).forEach(ids::add));
    return ids;
  }
}
