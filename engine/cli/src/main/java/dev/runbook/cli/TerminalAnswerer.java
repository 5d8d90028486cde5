package dev.runbook.cli;

import dev.runbook.engine.Answer;
import dev.runbook.engine.Answerer;
import dev.runbook.engine.Question;
import java.io.IOException;
import java.util.Optional;

/**
 * Asks a person at the controlling terminal ({@link Tty}), also when the command's output is piped.
 * An answer may carry a note after {@code " # "}: {@code no # the disk is still full}. A secret
 * value a step captures is read with echo off, and takes no note. An answer that does not fit the
 * question is asked again, up to five times; end of input (Ctrl-D) or no terminal at all means no
 * answer, and the run pauses.
 */
final class TerminalAnswerer implements Answerer {

  static final String NOTE = " # ";
  private static final int TRIES = 5;

  private final String operator;
  private final Glyphs glyphs;

  TerminalAnswerer(String operator, Glyphs glyphs) {
    this.operator = operator;
    this.glyphs = glyphs;
  }

  @Override
  public Optional<Answer> ask(Question question) throws InterruptedException {
    Optional<Tty> opened = Tty.open();
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    Tty tty = opened.get();
    synchronized (TerminalAnswerer.class) {
      StopOnSignal.atPrompt(true);
      try {
        tty.print("\n  " + question.text().replace("\n", "\n  ") + "\n");
        boolean secret = question.kind() == Question.Kind.VALUE && question.capture().secret();
        for (int tries = 0; tries < TRIES; tries++) {
          String line;
          if (secret) {
            line = tty.readSecret(prompt(question)); // echo off; no note: it would be typed blind
          } else {
            tty.print(prompt(question));
            line = tty.readLine();
          }
          if (line == null) {
            return Optional.empty();
          }
          String answer = line;
          String note = null;
          int hash = secret ? -1 : line.indexOf(NOTE);
          if (hash >= 0) {
            answer = line.substring(0, hash);
            note = line.substring(hash + NOTE.length()).strip();
          }
          String value = Answer.normalize(answer, question);
          Optional<String> problem = Answerer.problem(question, value);
          if (problem.isEmpty()) {
            return Optional.of(new Answer(value, "terminal", operator, note));
          }
          tty.print("  " + glyphs.cross() + " " + problem.get() + "\n");
        }
        return Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      } finally {
        StopOnSignal.atPrompt(false);
        tty.close();
      }
    }
  }

  private static String prompt(Question question) {
    return switch (question.kind()) {
      case CONFIRM -> "  Done? [yes = done / no = not now, pause the run] ";
      case IN_DOUBT -> "  Run it again? [yes/no] ";
      case CHOICE -> "  [" + String.join("/", question.choices()) + "] ";
      case VALUE ->
          "  " + question.capture().name() + " (" + question.capture().type().label() + "): ";
      default -> "  [yes/no]  (a note may follow after ' # ') ";
    };
  }
}
