package dev.runbook.importer.document;

import dev.runbook.importer.markup.Inline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the commands a sentence names. Vendor documents write "Run the **df -h** command", with a
 * placeholder in italics ("Run the **ping** *IP address* command"), and "Go to the
 * **${BIGDATA_HOME}/x** directory"; a copy of the rendered page has no markup ("Run the cd /opt/x
 * command"), so plain text is matched by its words alone.
 */
final class CommandSpans {

  private static final Pattern RUN_BEFORE =
      Pattern.compile("(?i)(?:^|\\W)(?:run|running|execute|executing)(?:\\s+the)?\\s*$");
  private static final Pattern GO_TO_BEFORE =
      Pattern.compile("(?i)(?:^|\\W)go\\s+to(?:\\s+the)?(?:\\s+directory)?\\s*$");
  private static final Pattern COMMAND_WORD = Pattern.compile("(?i)\\b(command|commands)\\b");
  private static final Pattern PLAIN_RUN =
      Pattern.compile("(?i)\\b(?:run|execute)\\s+the\\s+(.+?)\\s+command\\b");
  private static final Pattern PLAIN_GO_TO =
      Pattern.compile("(?i)\\bgo\\s+to\\s+the\\s+(\\S+)\\s+directory\\b");
  private static final Pattern NOT_A_COMMAND =
      Pattern.compile(
          "(?i)(following|preceding|above|below|same|previous|next|corresponding|related|this|that|these|those|each|every|an?)(\\s+\\w+)?");
  private static final Pattern ANGLE_PLACEHOLDER = Pattern.compile("<([A-Za-z][\\w .-]*)>");

  private CommandSpans() {}

  /**
   * @param markup whether the document marks commands up: then a sentence without bold or code
   *     names no command ("Run the following command:" introduces one set apart)
   */
  static List<CommandSpan> of(List<Inline> sentence, boolean markup) {
    boolean marked =
        sentence.stream().anyMatch(i -> i instanceof Inline.Strong || i instanceof Inline.Code);
    if (marked) {
      return marked(sentence);
    }
    return markup ? List.of() : plain(Inline.plain(sentence));
  }

  private static List<CommandSpan> marked(List<Inline> sentence) {
    List<Inline> spans = splitAtCommandWord(sentence);
    List<CommandSpan> found = new ArrayList<>();
    StringBuilder before = new StringBuilder();
    int i = 0;
    while (i < spans.size()) {
      Inline span = spans.get(i);
      boolean markup = span instanceof Inline.Strong || span instanceof Inline.Code;
      if (markup && RUN_BEFORE.matcher(before).find()) {
        i = collect(spans, i, CommandSpan.Kind.RUN, found);
        before.setLength(0);
        continue;
      }
      if (markup && GO_TO_BEFORE.matcher(before).find() && mentionsDirectory(spans, i, before)) {
        found.add(
            new CommandSpan(
                "cd " + span.text().strip(), CommandSpan.Kind.CHANGE_DIRECTORY, List.of()));
        before.setLength(0);
        i++;
        continue;
      }
      before.append(span.text());
      i++;
    }
    return found;
  }

  private static boolean mentionsDirectory(List<Inline> spans, int i, CharSequence before) {
    String after = i + 1 < spans.size() ? spans.get(i + 1).text() : "";
    return after.stripLeading().toLowerCase(Locale.ROOT).startsWith("directory")
        || before.toString().toLowerCase(Locale.ROOT).contains("directory");
  }

  /** Reads a command from spans[i] on; returns the index after it. */
  private static int collect(
      List<Inline> spans, int i, CommandSpan.Kind kind, List<CommandSpan> found) {
    StringBuilder command = new StringBuilder();
    List<String> placeholders = new ArrayList<>();
    int at = i;
    while (at < spans.size()) {
      Inline span = spans.get(at);
      if (span instanceof Inline.Strong || span instanceof Inline.Code) {
        command.append(span.text());
      } else if (span instanceof Inline.Emphasis emphasis) {
        placeholders.add(emphasis.text().strip());
        // "**ethtool**\ *network port name*": the escaped space joins what a reader sees apart.
        if (command.length() > 0
            && Character.isLetterOrDigit(command.charAt(command.length() - 1))
            && !emphasis.text().isEmpty()
            && Character.isLetterOrDigit(emphasis.text().charAt(0))) {
          command.append(' ');
        }
        command.append('<').append(emphasis.text().strip()).append('>');
      } else if (span instanceof Inline.Text text) {
        if (COMMAND_WORD.matcher(text.text()).matches()) {
          at++;
          break;
        }
        boolean glue =
            text.text().isBlank()
                || (!text.text().strip().contains(" ")
                    && at + 1 < spans.size()
                    && !(spans.get(at + 1) instanceof Inline.Text t
                        && !COMMAND_WORD.matcher(t.text()).matches()));
        if (!glue) {
          break;
        }
        command.append(text.text());
      } else {
        break;
      }
      at++;
    }
    String line = command.toString().replaceAll("\\s+", " ").strip();
    if (!line.isEmpty()) {
      found.add(new CommandSpan(line, kind, placeholders));
    }
    return Math.max(at, i + 1);
  }

  private static List<CommandSpan> plain(String text) {
    List<CommandSpan> found = new ArrayList<>();
    Matcher run = PLAIN_RUN.matcher(text);
    while (run.find()) {
      String line = run.group(1).strip();
      if (NOT_A_COMMAND.matcher(line).matches()) {
        continue;
      }
      found.add(new CommandSpan(line, CommandSpan.Kind.RUN, placeholders(line)));
    }
    Matcher go = PLAIN_GO_TO.matcher(text);
    while (go.find()) {
      if (go.group(1).contains("/")) {
        found.add(
            new CommandSpan("cd " + go.group(1), CommandSpan.Kind.CHANGE_DIRECTORY, List.of()));
      }
    }
    return found;
  }

  /** The spans with every "command" word of plain text in a span of its own. */
  private static List<Inline> splitAtCommandWord(List<Inline> spans) {
    List<Inline> out = new ArrayList<>();
    for (Inline span : spans) {
      if (!(span instanceof Inline.Text text)) {
        out.add(span);
        continue;
      }
      Matcher word = COMMAND_WORD.matcher(text.text());
      int from = 0;
      while (word.find()) {
        if (word.start() > from) {
          out.add(new Inline.Text(text.text().substring(from, word.start())));
        }
        out.add(new Inline.Text(word.group()));
        from = word.end();
      }
      if (from < text.text().length()) {
        out.add(new Inline.Text(text.text().substring(from)));
      }
    }
    return out;
  }

  /** Placeholders written as {@code <name>} in a command without markup. */
  static List<String> placeholders(String line) {
    List<String> found = new ArrayList<>();
    Matcher m = ANGLE_PLACEHOLDER.matcher(line);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
