package dev.runbook.cli;

import dev.runbook.engine.execute.Answer;
import dev.runbook.engine.execute.Answerer;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Where a run's answers come from: {@code --answer}, an answers file, then the terminal. */
final class Answers {

  private Answers() {}

  /** Answers given up front, by step id (or step path), from flags or a file. */
  static Answerer given(Map<String, String> answers, String via, String operator) {
    Map<String, Boolean> parsed = new LinkedHashMap<>();
    answers.forEach((step, text) -> parsed.put(step, parse(step, text, via)));
    return question -> {
      Boolean value =
          parsed.containsKey(question.step())
              ? parsed.get(question.step())
              : parsed.get(question.stepId());
      return Optional.ofNullable(value).map(v -> new Answer(v, via, operator));
    };
  }

  static Map<String, String> readFile(Path file) {
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
          "answers file " + file + " must map step ids to yes or no, like 'periodic-check: no'");
    }
    Map<String, String> answers = new LinkedHashMap<>();
    map.forEach((k, v) -> answers.put(String.valueOf(k), String.valueOf(v)));
    return answers;
  }

  private static boolean parse(String step, String text, String via) {
    return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "yes", "y", "true", "done" -> true;
      case "no", "n", "false" -> false;
      default ->
          throw new UserException(
              ExitCodes.USAGE, via + " " + step + "=" + text + ": the answer must be yes or no");
    };
  }

  /** Asks at the terminal, when there is one; otherwise has no answer (the run pauses). */
  static Answerer terminal(PrintWriter out, String operator) {
    Console console = System.console();
    if (console == null) {
      return Answerer.NOBODY;
    }
    return question -> {
      synchronized (Answers.class) {
        out.println();
        out.println("  " + question.text().replace("\n", "\n  "));
        String prompt =
            switch (question.kind()) {
              case CONFIRM -> "  Done? [yes = done / no = not now, pause the run] ";
              case IN_DOUBT -> "  Run it again? [yes/no] ";
              default -> "  [yes/no] ";
            };
        for (int tries = 0; tries < 5; tries++) {
          out.print(prompt);
          out.flush();
          String line = console.readLine();
          if (line == null) {
            return Optional.empty();
          }
          switch (line.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "y", "yes", "done" -> {
              return Optional.of(new Answer(true, "terminal", operator));
            }
            case "n", "no" -> {
              return Optional.of(new Answer(false, "terminal", operator));
            }
            default -> out.println("  please answer yes or no");
          }
        }
        return Optional.empty();
      }
    };
  }
}
