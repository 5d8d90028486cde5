package dev.runbook.plugins.kubectl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a POSIX shell would, without running one: blanks
 * separate words; {@code '…'} keeps everything literally; {@code "…"} keeps everything but {@code
 * \"}, {@code \\}, {@code \$} and {@code \`} escapes; a backslash outside quotes escapes the next
 * character. So vendor lines such as {@code get nodes -o jsonpath='{.items[*].metadata.name}'} work
 * as they are written, and a {@code ${params.X}} value (which the engine quotes for the shell in
 * this input) always stays one word.
 *
 * <p>Shell syntax that would need a shell is refused rather than passed to kubectl as a word: an
 * unquoted {@code |}, {@code ;}, {@code &}, {@code <}, {@code >}, {@code $(}, {@code `} or {@code
 * (}.
 */
final class CommandWords {

  private static final String OPERATORS = "|;&<>()`";

  private CommandWords() {}

  /**
   * The words of {@code line}.
   *
   * @throws IllegalArgumentException naming the problem: an unterminated quote, a trailing
   *     backslash, or shell syntax
   */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int close = line.indexOf('\'', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated ' in: " + line);
        }
        word.append(line, i + 1, close);
        inWord = true;
        i = close + 1;
      } else if (c == '"') {
        i = doubleQuoted(line, i + 1, word);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= line.length()) {
          throw new IllegalArgumentException("trailing \\ in: " + line);
        }
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else if (OPERATORS.indexOf(c) >= 0 || (c == '$' && next(line, i) == '(')) {
        throw new IllegalArgumentException(
            "'"
                + (c == '$' ? "$(" : String.valueOf(c))
                + "' needs a shell, and kubectl runs without one: use jsonpath and a condition,"
                + " or a shell step, in: "
                + line);
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Appends a double-quoted part starting after its quote; returns the index after the close. */
  private static int doubleQuoted(String line, int start, StringBuilder word) {
    int i = start;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
        if (line.charAt(i + 1) != '\n') {
          word.append(line.charAt(i + 1));
        }
        i += 2;
      } else if ((c == '$' && next(line, i) == '(') || c == '`') {
        throw new IllegalArgumentException(
            "command substitution needs a shell, and kubectl runs without one, in: " + line);
      } else {
        word.append(c);
        i++;
      }
    }
    throw new IllegalArgumentException("unterminated \" in: " + line);
  }

  private static char next(String line, int i) {
    return i + 1 < line.length() ? line.charAt(i + 1) : 0;
  }
}
