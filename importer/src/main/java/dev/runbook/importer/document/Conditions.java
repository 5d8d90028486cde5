package dev.runbook.importer.document;

import dev.runbook.importer.markup.Inline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The condition at the head of a case: "If yes,", "If it is not,", "If the dump mode is FTP,", "For
 * SUSE Linux,". Splits it from what follows and tells a plain yes or no from a condition in words.
 */
final class Conditions {

  private static final Pattern HEAD =
      Pattern.compile("(?i)^\\s*(?:if|for|when|in\\s+case\\s+of|in\\s+the\\s+case\\s+of|once)\\s+");

  /** "Yes: go to 5.", "No, go to 6." */
  private static final Pattern BARE_ANSWER = Pattern.compile("(?i)^\\s*(yes|no)\\s*[:,]\\s*");

  private static final Set<String> YES =
      Set.of(
          "yes",
          "so",
          "it is",
          "it does",
          "they are",
          "they do",
          "there is",
          "there are",
          "it has",
          "they have",
          "it is yes",
          "true");
  private static final Set<String> NO =
      Set.of(
          "no",
          "not",
          "it is not",
          "it isn't",
          "it does not",
          "it doesn't",
          "they are not",
          "they aren't",
          "they do not",
          "they don't",
          "there is not",
          "there are not",
          "there is no",
          "there are no",
          "it has not",
          "they have not",
          "false",
          "otherwise");

  private Conditions() {}

  /** A condition and where it ends in the sentence's plain text. */
  record Head(String keyword, String condition, Case.Polarity polarity, int end) {}

  /** The condition heading a sentence, or null when it has none. */
  static Head head(String plain) {
    Matcher bareAnswer = BARE_ANSWER.matcher(plain);
    if (bareAnswer.lookingAt()) {
      String answer = bareAnswer.group(1).toLowerCase(Locale.ROOT);
      return new Head("if", answer, polarity(answer), bareAnswer.end());
    }
    Matcher head = HEAD.matcher(plain);
    if (!head.lookingAt()) {
      String bare = plain.strip().toLowerCase(Locale.ROOT);
      if (bare.startsWith("otherwise")) {
        int comma = plain.indexOf(',');
        return new Head(
            "if",
            "otherwise",
            Case.Polarity.NO,
            comma < 0 ? plain.toLowerCase(Locale.ROOT).indexOf("otherwise") + 9 : comma + 1);
      }
      return null;
    }
    String keyword = head.group().strip().toLowerCase(Locale.ROOT);
    int end = separator(plain, head.end());
    if (end < 0) {
      Matcher bare =
          Pattern.compile("(?i)\\s*(yes|no|not)\\b")
              .matcher(plain)
              .region(head.end(), plain.length());
      if (!bare.lookingAt()) {
        return null;
      }
      end = bare.end();
      String condition = bare.group(1).toLowerCase(Locale.ROOT);
      return new Head(keyword, condition, polarity(condition), end);
    }
    String condition = plain.substring(head.end(), end).strip();
    int after = end + 1;
    return new Head(keyword, condition, polarity(condition), after);
  }

  /** The index of the comma (or colon) that ends a condition, outside quotes and brackets. */
  private static int separator(String plain, int from) {
    int depth = 0;
    boolean quoted = false;
    for (int i = from; i < plain.length(); i++) {
      char c = plain.charAt(i);
      if (c == '"' || c == '“' || c == '”') {
        quoted = !quoted;
      } else if (c == '(' || c == '[') {
        depth++;
      } else if ((c == ')' || c == ']') && depth > 0) {
        depth--;
      } else if ((c == ',' || c == ':') && !quoted && depth == 0) {
        // "28,232" is a number, not the end of a condition.
        boolean inNumber =
            c == ',' && i + 1 < plain.length() && Character.isDigit(plain.charAt(i + 1));
        if (!inNumber) {
          return i;
        }
      }
    }
    return -1;
  }

  static Case.Polarity polarity(String condition) {
    String words =
        condition
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z' ]", " ")
            .replaceAll("\\s+", " ")
            .strip();
    if (YES.contains(words)) {
      return Case.Polarity.YES;
    }
    if (NO.contains(words)) {
      return Case.Polarity.NO;
    }
    return Case.Polarity.OTHER;
  }

  /** The spans after a plain-text offset, the span that holds it cut. */
  static List<Inline> after(List<Inline> spans, int offset) {
    List<Inline> out = new ArrayList<>();
    int at = 0;
    for (Inline span : spans) {
      int length = span.text().length();
      if (at + length <= offset) {
        at += length;
        continue;
      }
      if (at >= offset) {
        out.add(span);
      } else {
        String rest = span.text().substring(offset - at);
        if (span instanceof Inline.Strong) {
          out.add(new Inline.Strong(rest));
        } else if (span instanceof Inline.Emphasis) {
          out.add(new Inline.Emphasis(rest));
        } else if (span instanceof Inline.Code) {
          out.add(new Inline.Code(rest));
        } else {
          out.add(new Inline.Text(rest));
        }
      }
      at += length;
    }
    return out;
  }
}
