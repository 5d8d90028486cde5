package dev.runbook.importer.read;

import dev.runbook.importer.markup.Inline;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * reStructuredText inline markup: {@code **bold**}, {@code *italic*}, {@code ``literal``}, {@code
 * :ref:`text <label>`}, {@code `text <url>`__}, {@code |substitution|} and backslash escapes
 * ({@code \|} is a bar, {@code \ } is nothing). Markup that does not close is kept as text, as
 * docutils does.
 */
final class RstInlines {

  private static final Pattern SUBSTITUTION = Pattern.compile("\\|([A-Za-z][\\w-]*)\\|");
  private static final Pattern ROLE = Pattern.compile(":([a-z][a-z-]*):`");
  private static final Pattern TARGET = Pattern.compile("(?s)(.*?)\\s*<([^<>]+)>");
  private static final String OPENERS = "-:/'\"<([{>";

  private final String text;
  private final List<Inline> out = new ArrayList<>();
  private final StringBuilder plain = new StringBuilder();
  private int i;
  private boolean boundary = true;

  private RstInlines(String text) {
    this.text = text;
  }

  static List<Inline> parse(String text) {
    RstInlines parser = new RstInlines(text);
    parser.run();
    return parser.out;
  }

  private void run() {
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
        if (next != ' ' && next != '\n') {
          plain.append(next);
        }
        i += 2;
        boundary = true;
        continue;
      }
      if (boundary && tryMarkup()) {
        boundary = true;
        continue;
      }
      plain.append(c);
      boundary = Character.isWhitespace(c) || OPENERS.indexOf(c) >= 0;
      i++;
    }
    flush();
  }

  private boolean tryMarkup() {
    if (text.startsWith("**", i)) {
      return span("**", Inline.Strong::new);
    }
    if (text.startsWith("``", i)) {
      int end = text.indexOf("``", i + 2);
      if (end > i + 2) {
        add(new Inline.Code(text.substring(i + 2, end)));
        i = end + 2;
        return true;
      }
      return false;
    }
    if (text.charAt(i) == '*') {
      return span("*", Inline.Emphasis::new);
    }
    if (text.charAt(i) == ':') {
      Matcher role = ROLE.matcher(text).region(i, text.length());
      if (role.lookingAt()) {
        int end = text.indexOf('`', role.end());
        if (end > role.end()) {
          String content = text.substring(role.end(), end);
          Matcher target = TARGET.matcher(content);
          if (role.group(1).equals("ref") && target.matches()) {
            add(new Inline.Ref(unescape(target.group(1)).strip(), target.group(2).strip()));
          } else if (role.group(1).equals("ref")) {
            add(new Inline.Ref(unescape(content).strip(), content.strip()));
          } else {
            plain.append(unescape(content));
          }
          i = end + 1;
          return true;
        }
      }
      return false;
    }
    if (text.charAt(i) == '`') {
      int end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        String content = text.substring(i + 1, end);
        int after = end + 1;
        while (after < text.length() && text.charAt(after) == '_') {
          after++;
        }
        Matcher target = TARGET.matcher(content);
        if (target.matches()) {
          add(new Inline.Link(unescape(target.group(1)).strip(), target.group(2).strip()));
        } else {
          plain.append(unescape(content));
        }
        i = after;
        return true;
      }
      return false;
    }
    if (text.charAt(i) == '|') {
      Matcher sub = SUBSTITUTION.matcher(text).region(i, text.length());
      if (sub.lookingAt()) {
        // Vendor documents put icons inline: "click |image1| in the row".
        plain.append(sub.group(1).startsWith("image") ? "the icon" : sub.group(1));
        i = sub.end();
        return true;
      }
    }
    return false;
  }

  private boolean span(String mark, Function<String, Inline> make) {
    int start = i + mark.length();
    if (start >= text.length() || Character.isWhitespace(text.charAt(start))) {
      return false;
    }
    int j = start;
    while (j < text.length()) {
      char c = text.charAt(j);
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (text.startsWith(mark, j)
          && j > start
          && !Character.isWhitespace(text.charAt(j - 1))
          && !(mark.equals("*") && text.startsWith("**", j))) {
        add(make.apply(unescape(text.substring(start, j))));
        i = j + mark.length();
        return true;
      }
      if (mark.equals("*") && text.startsWith("**", j)) {
        j += 2;
        continue;
      }
      j++;
    }
    return false;
  }

  private void add(Inline inline) {
    flush();
    out.add(inline);
  }

  private void flush() {
    if (plain.length() > 0) {
      out.add(new Inline.Text(plain.toString()));
      plain.setLength(0);
    }
  }

  static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '\\' && k + 1 < s.length()) {
        char next = s.charAt(k + 1);
        if (next != ' ') {
          b.append(next);
        }
        k++;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
