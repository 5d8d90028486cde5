package dev.runbook.importer.read;

import dev.runbook.importer.markup.Block;
import dev.runbook.importer.markup.Block.ListKind;
import dev.runbook.importer.markup.Inline;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown (CommonMark's common part): ATX and setext headings, fenced code blocks, bullet and
 * numbered lists nested by indentation, pipe tables, paragraphs; inline bold, italic, code and
 * links. Lines holding only {@code |} (left by copying a rendered page) count as blank.
 */
final class MarkdownReader {

  private static final Pattern HEADING = Pattern.compile("(#{1,6})\\s+(.*?)\\s*#*\\s*");
  private static final Pattern FENCE = Pattern.compile("(\\s*)(```+|~~~+)\\s*([\\w+-]*).*");
  private static final Pattern ITEM = Pattern.compile("(\\s*)([-*+]|\\d{1,3}[.)])(\\s+)(.*)");
  private static final Pattern TABLE_SEPARATOR =
      Pattern.compile("\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?");
  private static final Pattern SETEXT = Pattern.compile("(=+|-+)\\s*");

  static List<Block> read(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : Lines.of(text)) {
      lines.add(line.strip().equals("|") ? "" : line);
    }
    return blocks(lines);
  }

  private static List<Block> blocks(List<String> lines) {
    List<Block> out = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (Lines.blank(line)) {
        i++;
        continue;
      }
      Matcher fence = FENCE.matcher(line);
      if (fence.matches()) {
        i = fenced(lines, i, fence, out);
        continue;
      }
      Matcher heading = HEADING.matcher(line.strip());
      if (Lines.indent(line) < 4 && heading.matches()) {
        out.add(new Block.Heading(heading.group(2), heading.group(1).length()));
        i++;
        continue;
      }
      Matcher item = ITEM.matcher(line);
      if (item.matches() && !SETEXT.matcher(line.strip()).matches()) {
        i = list(lines, i, out);
        continue;
      }
      if (line.strip().startsWith("|")
          && i + 1 < lines.size()
          && TABLE_SEPARATOR.matcher(lines.get(i + 1).strip()).matches()) {
        i = table(lines, i, out);
        continue;
      }
      i = paragraph(lines, i, out);
    }
    return out;
  }

  private static int fenced(List<String> lines, int i, Matcher fence, List<Block> out) {
    String mark = fence.group(2);
    int indent = fence.group(1).length();
    List<String> body = new ArrayList<>();
    int at = i + 1;
    while (at < lines.size() && !lines.get(at).strip().startsWith(mark)) {
      body.add(lines.get(at));
      at++;
    }
    out.add(
        new Block.Literal(
            String.join("\n", Lines.trim(Lines.dedent(body, indent))), fence.group(3)));
    return Math.min(at + 1, lines.size());
  }

  private static int paragraph(List<String> lines, int i, List<Block> out) {
    List<String> text = new ArrayList<>();
    int at = i;
    while (at < lines.size() && !Lines.blank(lines.get(at))) {
      String line = lines.get(at);
      if (at > i && (startsBlock(line) || SETEXT.matcher(line.strip()).matches())) {
        break;
      }
      text.add(line.strip());
      at++;
    }
    if (at < lines.size() && at > i && SETEXT.matcher(lines.get(at).strip()).matches()) {
      int level = lines.get(at).strip().charAt(0) == '=' ? 1 : 2;
      out.add(new Block.Heading(String.join(" ", text), level));
      return at + 1;
    }
    out.add(new Block.Paragraph(inlines(String.join(" ", text))));
    return at;
  }

  private static boolean startsBlock(String line) {
    return FENCE.matcher(line).matches()
        || HEADING.matcher(line.strip()).matches()
        || ITEM.matcher(line).matches();
  }

  private static int list(List<String> lines, int i, List<Block> out) {
    Matcher first = ITEM.matcher(lines.get(i));
    first.matches();
    int base = first.group(1).length();
    ListKind kind = kind(first.group(2));
    List<Block.Item> items = new ArrayList<>();
    int at = i;
    while (at < lines.size()) {
      Matcher item = ITEM.matcher(lines.get(at));
      if (!item.matches() || item.group(1).length() != base || kind(item.group(2)) != kind) {
        break;
      }
      int column = base + item.group(2).length() + item.group(3).length();
      List<String> body = new ArrayList<>();
      body.add(item.group(4));
      int end = at + 1;
      boolean previousText = true;
      while (end < lines.size()) {
        String line = lines.get(end);
        if (Lines.blank(line)) {
          previousText = false;
          end++;
          continue;
        }
        boolean indented = Lines.indent(line) > base;
        boolean lazy = previousText && !startsBlock(line);
        if (!indented && !lazy) {
          break;
        }
        body.add(indented ? line.substring(Math.min(column, Lines.indent(line))) : line.strip());
        previousText = true;
        end++;
      }
      items.add(new Block.Item(number(item.group(2)), blocks(body)));
      at = end;
    }
    out.add(new Block.ItemList(kind, items));
    return at;
  }

  private static ListKind kind(String marker) {
    return Character.isDigit(marker.charAt(0)) ? ListKind.NUMBERED : ListKind.BULLET;
  }

  private static String number(String marker) {
    return Character.isDigit(marker.charAt(0)) ? marker.substring(0, marker.length() - 1) : marker;
  }

  private static int table(List<String> lines, int i, List<Block> out) {
    List<List<String>> rows = new ArrayList<>();
    int at = i;
    while (at < lines.size() && lines.get(at).strip().startsWith("|")) {
      String line = lines.get(at).strip();
      if (!TABLE_SEPARATOR.matcher(line).matches()) {
        String inner =
            line.substring(
                1, line.endsWith("|") && line.length() > 1 ? line.length() - 1 : line.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
          cells.add(Inline.plain(inlines(cell.strip())));
        }
        rows.add(cells);
      }
      at++;
    }
    out.add(new Block.Table(rows));
    return at;
  }

  /** Markdown inline markup. */
  static List<Inline> inlines(String text) {
    List<Inline> out = new ArrayList<>();
    StringBuilder plain = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && !Character.isLetterOrDigit(text.charAt(i + 1))) {
        plain.append(text.charAt(i + 1));
        i += 2;
        continue;
      }
      Inline span = null;
      int end = -1;
      if (c == '`') {
        int ticks = 0;
        while (i + ticks < text.length() && text.charAt(i + ticks) == '`') {
          ticks++;
        }
        String mark = "`".repeat(ticks);
        int close = text.indexOf(mark, i + ticks);
        if (close > 0) {
          span = new Inline.Code(text.substring(i + ticks, close).strip());
          end = close + ticks;
        }
      } else if (text.startsWith("**", i) || text.startsWith("__", i)) {
        String mark = text.substring(i, i + 2);
        int close = text.indexOf(mark, i + 2);
        if (close > i + 2) {
          span = new Inline.Strong(text.substring(i + 2, close));
          end = close + 2;
        }
      } else if ((c == '*' || c == '_')
          && i + 1 < text.length()
          && !Character.isWhitespace(text.charAt(i + 1))
          && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))) {
        int close = text.indexOf(c, i + 1);
        if (close > i + 1 && !Character.isWhitespace(text.charAt(close - 1))) {
          span = new Inline.Emphasis(text.substring(i + 1, close));
          end = close + 1;
        }
      } else if (c == '[') {
        Matcher link = LINK.matcher(text).region(i, text.length());
        if (link.lookingAt()) {
          span = new Inline.Link(link.group(1), link.group(2));
          end = link.end();
        }
      }
      if (span == null) {
        plain.append(c);
        i++;
        continue;
      }
      if (plain.length() > 0) {
        out.add(new Inline.Text(plain.toString()));
        plain.setLength(0);
      }
      out.add(span);
      i = end;
    }
    if (plain.length() > 0) {
      out.add(new Inline.Text(plain.toString()));
    }
    return out;
  }

  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]*)[^)]*\\)");
}
