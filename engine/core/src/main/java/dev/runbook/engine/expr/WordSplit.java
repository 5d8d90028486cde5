package dev.runbook.engine.expr;

import dev.runbook.api.Secret;
import dev.runbook.api.ValueWord;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a line into words the way a POSIX shell would, without running one, for programs run as an
 * argv (kubectl's {@code command}): blanks separate words; {@code '…'} keeps everything literally;
 * {@code "…"} keeps everything but the {@code \"}, {@code \\}, {@code \$}, {@code \`} escapes; a
 * backslash outside quotes escapes the next character. A {@code ${…}} value is always inside one
 * word, whatever it holds, so vendor lines such as {@code get nodes -o
 * jsonpath='{.items[*].metadata.name}'} work as written.
 *
 * <p>Shell syntax that would need a shell is refused rather than passed on as a word: an unquoted
 * {@code |}, {@code ;}, {@code &}, {@code <}, {@code >}, {@code (}, {@code )}, a backtick or {@code
 * $(}. A word that begins with a value whose text starts with {@code -} is refused too, unless a
 * {@code --} came before it or the value may start with a dash: the program would read it as an
 * option ({@code delete pod ${params.Pod}} with {@code --all}).
 */
public final class WordSplit {

  private static final String OPERATORS = "|;&<>()`";

  private WordSplit() {}

  /**
   * One word.
   *
   * @param text the real text
   * @param shown the text with secrets masked
   * @param secret whether a secret is in it
   * @param valueLed whether it begins with a value rather than the runbook's own text
   */
  public record Word(String text, String shown, boolean secret, boolean valueLed) {
    /**
     * The word as an action receives it: a {@link Secret} when it holds one, a {@link ValueWord}
     * when a value begins it (never one of the target's own flags), else the text.
     */
    public Object forRequest() {
      if (secret) {
        return Secret.within(text, shown);
      }
      return valueLed ? new ValueWord(text) : text;
    }
  }

  /**
   * The words, or why the line cannot be split.
   *
   * @param refused problems with values: a value that would be an option
   */
  public record Result(
      List<Word> words, List<String> unresolved, List<String> refused, String syntaxProblem) {}

  /** Why the line's literal text cannot be split without a shell, or null (for validation). */
  public static String syntaxProblem(Template template) {
    return split(template, path -> Optional.of(Value.plain("x"))).syntaxProblem();
  }

  public static Result split(Template template, ValueScope scope) {
    Splitter splitter = new Splitter(scope);
    try {
      for (Template.Part part : template.parts()) {
        if (part instanceof Template.Reference ref) {
          splitter.value(ref);
        } else {
          splitter.literal(((Template.Literal) part).text());
        }
      }
      splitter.finish();
    } catch (IllegalArgumentException e) {
      return new Result(List.of(), splitter.unresolved, splitter.refused, e.getMessage());
    }
    return new Result(splitter.words, splitter.unresolved, splitter.refused, null);
  }

  private static final class Splitter {
    private final ValueScope scope;
    private final List<Word> words = new ArrayList<>();
    private final List<String> unresolved = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder shown = new StringBuilder();
    private boolean inWord;
    private boolean secret;
    private boolean optionsEnded;
    private boolean literalSoFar = true;
    private boolean valueLed;

    /** Open quote carried across a value: 0, '\'' or '"'. */
    private char quote;

    Splitter(ValueScope scope) {
      this.scope = scope;
    }

    void value(Template.Reference ref) {
      Optional<Value> value = scope.lookup(ref.path());
      String content;
      if (value.isEmpty()) {
        unresolved.add(ref.dotted());
        content = "<" + ref.dotted() + ">";
      } else {
        content = value.get().text();
        valueLed |= text.length() == 0;
        if (text.length() == 0
            && !optionsEnded
            && content.startsWith("-")
            && !value.get().mayStartWithDash()) {
          refused.add(
              "${"
                  + ref.dotted()
                  + "} begins a word, and its value starts with '-', so the program would read it"
                  + " as an option; if that is meant, declare the parameter with"
                  + " allow_leading_dash: true, or put -- before the operands");
        }
      }
      boolean isSecret = value.isPresent() && value.get().secret();
      text.append(content);
      shown.append(isSecret ? Secret.MASK : content);
      secret |= isSecret;
      inWord = true;
      literalSoFar = false;
    }

    void literal(String line) {
      int i = 0;
      while (i < line.length()) {
        char c = line.charAt(i);
        if (quote == '\'') {
          if (c == '\'') {
            quote = 0;
          } else {
            append(c);
          }
          i++;
          continue;
        }
        if (quote == '"') {
          if (c == '"') {
            quote = 0;
            i++;
          } else if (c == '\\'
              && i + 1 < line.length()
              && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
            if (line.charAt(i + 1) != '\n') {
              append(line.charAt(i + 1));
            }
            i += 2;
          } else if ((c == '$' && next(line, i) == '(') || c == '`') {
            throw new IllegalArgumentException(
                "command substitution needs a shell, and this program runs without one");
          } else {
            append(c);
            i++;
          }
          continue;
        }
        if (c == ' ' || c == '\t' || c == '\n') {
          endWord();
          i++;
        } else if (c == '\'' || c == '"') {
          quote = c;
          inWord = true;
          i++;
        } else if (c == '\\') {
          if (i + 1 >= line.length()) {
            throw new IllegalArgumentException("a trailing \\ escapes nothing");
          }
          append(line.charAt(i + 1));
          i += 2;
        } else if (OPERATORS.indexOf(c) >= 0 || (c == '$' && next(line, i) == '(')) {
          throw new IllegalArgumentException(
              "'"
                  + (c == '$' ? "$(" : String.valueOf(c))
                  + "' needs a shell, and this program runs without one: use jsonpath and a"
                  + " condition, or a shell step");
        } else {
          append(c);
          i++;
        }
      }
    }

    private void append(char c) {
      text.append(c);
      shown.append(c);
      inWord = true;
    }

    private void endWord() {
      if (!inWord) {
        return;
      }
      String word = text.toString();
      words.add(new Word(word, shown.toString(), secret, valueLed));
      if (literalSoFar && word.equals("--")) {
        optionsEnded = true;
      }
      text.setLength(0);
      shown.setLength(0);
      inWord = false;
      secret = false;
      valueLed = false;
      literalSoFar = true;
    }

    void finish() {
      if (quote != 0) {
        throw new IllegalArgumentException("unterminated " + quote);
      }
      endWord();
    }

    private static char next(String line, int i) {
      return i + 1 < line.length() ? line.charAt(i + 1) : 0;
    }
  }
}
