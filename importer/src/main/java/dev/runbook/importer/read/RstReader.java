package dev.runbook.importer.read;

import dev.runbook.importer.markup.Block;
import dev.runbook.importer.markup.Block.ListKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * reStructuredText as vendor documentation tools write it: section titles, field lists, labels,
 * directives ({@code note}, {@code code-block}, {@code figure}), simple and grid tables, bullet and
 * enumerated lists ({@code #.}, {@code 4.}, {@code a.}) nested by indentation, and literal blocks.
 * Not a full docutils: what these documents use, read leniently (an item's body may be indented to
 * the marker's text or by any amount more than the marker).
 */
final class RstReader {

  private static final Pattern BULLET = Pattern.compile("([-*+•])( +)(.*)");
  private static final Pattern ENUM = Pattern.compile("(#|\\d{1,3}|[a-zA-Z])([.)])( +)(.*)");
  private static final Pattern PAREN_ENUM = Pattern.compile("\\((\\d{1,3}|[a-zA-Z])\\)( +)(.*)");
  private static final Pattern LABEL = Pattern.compile("\\.\\. _([^:]+):.*");
  private static final Pattern DIRECTIVE = Pattern.compile("\\.\\. ([A-Za-z][\\w-]*)::\\s*(.*)");
  private static final Pattern FIELD = Pattern.compile(":([A-Za-z_][\\w-]*): *(.*)");
  private static final String ADORNMENT = "=-~^\"'`#*+_.:";
  private static final List<String> LITERAL_DIRECTIVES =
      List.of("code-block", "code", "sourcecode", "parsed-literal");
  private static final List<String> DROPPED_DIRECTIVES = List.of("figure", "image", "raw", "only");

  /** Section title adornments by order of first use: the first is level 1. */
  private final Map<Character, Integer> levels = new LinkedHashMap<>();

  static List<Block> read(String text) {
    return new RstReader().blocks(Lines.of(text));
  }

  private List<Block> blocks(List<String> lines) {
    List<Block> out = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (Lines.blank(line)) {
        i++;
      } else if (Lines.indent(line) > 0) {
        int end = indentedEnd(lines, i, 0);
        out.addAll(blocks(Lines.dedent(lines.subList(i, end))));
        i = end;
      } else {
        i = block(lines, i, out);
      }
    }
    return out;
  }

  /** Reads the block that starts at {@code lines[i]} (not indented); returns the next index. */
  private int block(List<String> lines, int i, List<Block> out) {
    String line = lines.get(i);
    String next = i + 1 < lines.size() ? lines.get(i + 1) : "";
    if (isAdornment(next) && next.length() >= Math.min(3, line.strip().length())) {
      if (!isAdornment(line)) {
        out.add(new Block.Heading(line.strip(), level(next.charAt(0))));
        return i + 2;
      }
    }
    if (isAdornment(line) && i + 2 < lines.size() && isAdornment(lines.get(i + 2))) {
      out.add(new Block.Heading(next.strip(), level(line.charAt(0))));
      return i + 3;
    }
    if (line.startsWith("..")) {
      return directive(lines, i, out);
    }
    Matcher field = FIELD.matcher(line);
    if (field.matches()) {
      out.add(new Block.Field(field.group(1), field.group(2).strip()));
      return i + 1;
    }
    if (Tables.SIMPLE_BORDER.matcher(line).matches()) {
      Tables.Read table = Tables.simple(lines, i);
      out.add(new Block.Table(table.rows()));
      return table.next();
    }
    if (Tables.GRID_BORDER.matcher(line).matches()) {
      Tables.Read table = Tables.grid(lines, i);
      out.add(new Block.Table(table.rows()));
      return table.next();
    }
    if (isAdornment(line)) {
      return i + 1; // a transition
    }
    Marker marker = marker(line);
    if (marker != null) {
      return list(lines, i, marker.kind, out);
    }
    return paragraph(lines, i, out);
  }

  private int paragraph(List<String> lines, int i, List<Block> out) {
    int end = i;
    while (end < lines.size()
        && !Lines.blank(lines.get(end))
        && (end == i || Lines.indent(lines.get(end)) == 0)) {
      end++;
    }
    String text = String.join("\n", lines.subList(i, end).stream().map(String::strip).toList());
    boolean literalFollows = text.endsWith("::");
    if (literalFollows) {
      text =
          text.endsWith(" ::")
              ? text.substring(0, text.length() - 3)
              : text.substring(0, text.length() - 1);
    }
    if (!text.isBlank()) {
      out.add(new Block.Paragraph(RstInlines.parse(text.replace('\n', ' '))));
    }
    if (literalFollows) {
      int start = end;
      while (start < lines.size() && Lines.blank(lines.get(start))) {
        start++;
      }
      if (start < lines.size() && Lines.indent(lines.get(start)) > 0) {
        int stop = indentedEnd(lines, start, 0);
        out.add(
            new Block.Literal(
                String.join("\n", Lines.trim(Lines.dedent(lines.subList(start, stop)))), ""));
        return stop;
      }
    }
    return end;
  }

  private int directive(List<String> lines, int i, List<Block> out) {
    String line = lines.get(i);
    int end = indentedEnd(lines, i + 1, 0);
    List<String> body = Lines.dedent(lines.subList(i + 1, end));
    Matcher label = LABEL.matcher(line);
    if (label.matches()) {
      out.add(new Block.Label(label.group(1).strip()));
      return i + 1;
    }
    Matcher directive = DIRECTIVE.matcher(line);
    if (!directive.matches()) {
      return end; // a comment or a substitution definition: nothing a reader follows
    }
    String name = directive.group(1).toLowerCase(Locale.ROOT);
    int options = 0;
    while (options < body.size() && FIELD.matcher(body.get(options)).matches()) {
      options++;
    }
    List<String> content = Lines.trim(body.subList(options, body.size()));
    if (LITERAL_DIRECTIVES.contains(name)) {
      out.add(
          new Block.Literal(String.join("\n", Lines.dedent(content)), directive.group(2).strip()));
    } else if (!DROPPED_DIRECTIVES.contains(name)) {
      List<String> all = new ArrayList<>();
      if (!directive.group(2).isBlank()) {
        all.add(directive.group(2));
        all.add("");
      }
      all.addAll(Lines.dedent(content));
      out.add(new Block.Directive(name, blocks(all)));
    }
    return end;
  }

  private int list(List<String> lines, int i, ListKind kind, List<Block> out) {
    List<Block.Item> items = new ArrayList<>();
    int at = i;
    while (at < lines.size()) {
      Marker marker = marker(lines.get(at));
      if (marker == null || marker.kind != kind) {
        break;
      }
      int end = indentedEnd(lines, at + 1, 0);
      List<String> rest = Lines.trim(lines.subList(at + 1, end));
      int by = Math.min(marker.column, Lines.minIndent(rest));
      List<String> body = new ArrayList<>();
      body.add(marker.text);
      body.addAll(Lines.dedent(lines.subList(at + 1, end), rest.isEmpty() ? marker.column : by));
      items.add(new Block.Item(marker.value, blocks(body)));
      at = end;
      while (at < lines.size() && Lines.blank(lines.get(at))) {
        at++;
      }
    }
    out.add(new Block.ItemList(kind, items));
    return at;
  }

  /** The index after the lines from {@code from} that are blank or indented past {@code base}. */
  private static int indentedEnd(List<String> lines, int from, int base) {
    int end = from;
    int lastText = from;
    while (end < lines.size()
        && (Lines.blank(lines.get(end)) || Lines.indent(lines.get(end)) > base)) {
      if (!Lines.blank(lines.get(end))) {
        lastText = end + 1;
      }
      end++;
    }
    return Math.max(lastText, from);
  }

  private record Marker(ListKind kind, String value, int column, String text) {}

  private static Marker marker(String line) {
    Matcher bullet = BULLET.matcher(line);
    if (bullet.matches()) {
      return new Marker(
          ListKind.BULLET, bullet.group(1), 1 + bullet.group(2).length(), bullet.group(3));
    }
    Matcher enumerated = ENUM.matcher(line);
    if (enumerated.matches()) {
      String value = enumerated.group(1);
      int column = value.length() + 1 + enumerated.group(3).length();
      return new Marker(kindOf(value), value, column, enumerated.group(4));
    }
    Matcher paren = PAREN_ENUM.matcher(line);
    if (paren.matches()) {
      String value = paren.group(1);
      return new Marker(
          kindOf(value), value, value.length() + 2 + paren.group(2).length(), paren.group(3));
    }
    return null;
  }

  private static ListKind kindOf(String value) {
    return Character.isLetter(value.charAt(0)) ? ListKind.LETTERED : ListKind.NUMBERED;
  }

  private static boolean isAdornment(String line) {
    if (line.length() < 2) {
      return false;
    }
    char c = line.charAt(0);
    if (ADORNMENT.indexOf(c) < 0) {
      return false;
    }
    for (int k = 1; k < line.length(); k++) {
      if (line.charAt(k) != c) {
        return false;
      }
    }
    return true;
  }

  private int level(char adornment) {
    return levels.computeIfAbsent(adornment, c -> levels.size() + 1);
  }
}
