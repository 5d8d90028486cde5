package dev.runbook.importer.document;

import dev.runbook.importer.markup.Inline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a paragraph's spans into sentences: after a full stop, question or exclamation mark in
 * plain text that is followed by a space and a capital, a digit, a quote or markup. Markup spans
 * (bold commands, links) are never split.
 */
final class Sentences {

  private static final Set<String> ABBREVIATIONS = Set.of("e.g", "i.e", "etc", "vs", "no", "fig");

  private Sentences() {}

  static List<List<Inline>> split(List<Inline> inlines) {
    List<List<Inline>> sentences = new ArrayList<>();
    List<Inline> current = new ArrayList<>();
    for (int s = 0; s < inlines.size(); s++) {
      Inline span = inlines.get(s);
      if (!(span instanceof Inline.Text text)) {
        current.add(span);
        continue;
      }
      String t = text.text();
      int from = 0;
      for (int k = 0; k < t.length(); k++) {
        char c = t.charAt(k);
        boolean semicolonCase =
            c == ';' && t.substring(k + 1).matches("(?is)\\s+(if|otherwise)\\b.*");
        if ((c == '.' || c == '?' || c == '!') && endsSentence(t, k, inlines, s) || semicolonCase) {
          current.add(new Inline.Text(t.substring(from, k + 1)));
          sentences.add(current);
          current = new ArrayList<>();
          from = k + 1;
        }
      }
      if (from < t.length()) {
        current.add(new Inline.Text(t.substring(from)));
      }
    }
    if (!current.isEmpty()) {
      sentences.add(current);
    }
    sentences.removeIf(sentence -> Inline.plain(sentence).isBlank());
    return sentences;
  }

  private static boolean endsSentence(String t, int k, List<Inline> inlines, int s) {
    if (k + 1 < t.length() && !Character.isWhitespace(t.charAt(k + 1))) {
      return false;
    }
    int w = k;
    while (w > 0 && !Character.isWhitespace(t.charAt(w - 1))) {
      w--;
    }
    String word = t.substring(w, k).toLowerCase(Locale.ROOT);
    if (ABBREVIATIONS.contains(word) || word.length() == 1 && Character.isLetter(word.charAt(0))) {
      return false;
    }
    int n = k + 1;
    while (n < t.length() && Character.isWhitespace(t.charAt(n))) {
      n++;
    }
    if (n < t.length()) {
      char next = t.charAt(n);
      return Character.isUpperCase(next) || Character.isDigit(next) || "\"'(".indexOf(next) >= 0;
    }
    if (s + 1 >= inlines.size()) {
      return true;
    }
    Inline following = inlines.get(s + 1);
    if (following instanceof Inline.Text) {
      return false;
    }
    String first = following.text().strip();
    return !first.isEmpty()
        && (Character.isUpperCase(first.charAt(0))
            || following instanceof Inline.Strong
            || following instanceof Inline.Ref);
  }
}
