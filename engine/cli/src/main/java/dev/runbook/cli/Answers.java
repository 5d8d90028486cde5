package dev.runbook.cli;

import dev.runbook.engine.Answer;
import dev.runbook.engine.RunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The answers a command is given up front: {@code --answer STEP=ANSWER} with any {@code --note
 * STEP=TEXT}, then an answers file. The engine checks their step names before anything runs; the
 * terminal is asked for the rest ({@link TerminalAnswerer}).
 */
final class Answers {

  private Answers() {}

  /** The flags' answers, then the file's, as the engine takes them. */
  static List<RunRequest.GivenAnswers> given(
      Map<String, String> flags, Map<String, String> notes, Path file) {
    for (String step : notes.keySet()) {
      if (!flags.containsKey(step)) {
        throw new UserException(
            ExitCodes.USAGE,
            "--note " + step + ": a note goes with an answer; give --answer " + step + "=… too");
      }
    }
    List<RunRequest.GivenAnswers> given = new ArrayList<>();
    Map<String, Answer> byStep = new LinkedHashMap<>();
    flags.forEach((step, value) -> byStep.put(step, answer(value, notes.get(step))));
    given.add(new RunRequest.GivenAnswers("--answer", byStep));
    if (file != null) {
      given.add(new RunRequest.GivenAnswers("answers-file", readFile(file)));
    }
    return given;
  }

  private static Answer answer(String value, String note) {
    // Who answered is filled in by the engine, which knows the operator.
    return new Answer(value, "-", "-", note);
  }

  /**
   * An answers file: {@code step: yes}, {@code step: 10.0.0.5}, or {@code step: {answer: no, note:
   * disk still full}}.
   */
  static Map<String, Answer> readFile(Path file) {
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
    Map<String, Answer> answers = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> detail) {
            Object value = detail.get("answer");
            if (value == null) {
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
                answer(String.valueOf(value), note == null ? null : String.valueOf(note)));
          } else {
            answers.put(String.valueOf(k), answer(String.valueOf(v), null));
          }
        });
    return answers;
  }
}
