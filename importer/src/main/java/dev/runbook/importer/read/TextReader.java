package dev.runbook.importer.read;

import dev.runbook.importer.markup.Block;
import dev.runbook.importer.markup.Block.ListKind;
import dev.runbook.importer.markup.Inline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain text as it is copied from a rendered help page: a breadcrumb line, the title, section names
 * on lines of their own, numbered steps ({@code 1.}) and bullets ({@code •}, {@code -}) nested by
 * indentation. Every other line is a paragraph of its own: such copies join no lines.
 */
final class TextReader {

  /** "1. Log in", "a. Go to", and the "Step 1 Log in" some vendors write. */
  private static final Pattern ITEM =
      Pattern.compile("(\\s*)(?:Step\\s+(\\d{1,3})[.:)]?|(\\d{1,3}|[a-z])[.)])\\s+(.*)");

  private static final Pattern BULLET = Pattern.compile("(\\s*)([•\\-*▪●◦])\\s+(.*)");
  private static final Set<String> SECTIONS =
      Set.of(
          "description",
          "alarm description",
          "attribute",
          "attributes",
          "alarm attributes",
          "parameters",
          "alarm parameters",
          "impact on the system",
          "possible causes",
          "procedure",
          "handling procedure",
          "alarm clearing",
          "alarm clearance",
          "related information",
          "reference",
          "prerequisites");

  /** A copied table's header cells: the cell after one is a header too, not a section. */
  private static final Set<String> TABLE_HEADERS =
      Set.of("parameter", "name", "parameter name", "meaning", "type");

  static List<Block> read(String text) {
    List<String> lines = Lines.of(text);
    List<Block> out = new ArrayList<>();
    boolean titled = false;
    int i = 0;
    while (i < lines.size() && !titled) {
      String line = lines.get(i).strip();
      i++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("Help Center") || line.contains("> ") && line.split("> ").length > 2) {
        out.add(new Block.Field("breadcrumb", line));
      } else if (!line.toLowerCase(Locale.ROOT).startsWith("updated on")) {
        out.add(new Block.Heading(line, 1));
        titled = true;
      }
    }
    out.addAll(blocks(lines.subList(i, lines.size())));
    return out;
  }

  private static List<Block> blocks(List<String> lines) {
    List<Block> out = new ArrayList<>();
    int i = 0;
    String previous = "";
    while (i < lines.size()) {
      String line = lines.get(i);
      if (Lines.blank(line)) {
        i++;
        continue;
      }
      boolean tableHeader = TABLE_HEADERS.contains(previous.toLowerCase(Locale.ROOT));
      previous = line.strip();
      if (Lines.indent(line) == 0
          && !tableHeader
          && SECTIONS.contains(line.strip().toLowerCase(Locale.ROOT))) {
        out.add(new Block.Heading(line.strip(), 2));
        i++;
        continue;
      }
      if (ITEM.matcher(line).matches() || BULLET.matcher(line).matches()) {
        i = list(lines, i, out);
        continue;
      }
      out.add(new Block.Paragraph(List.of(new Inline.Text(line.strip()))));
      i++;
    }
    return out;
  }

  private record Marker(ListKind kind, int indent, String value, String text) {}

  private static Marker marker(String line) {
    Matcher item = ITEM.matcher(line);
    if (item.matches()) {
      String value = item.group(2) != null ? item.group(2) : item.group(3);
      ListKind kind = Character.isDigit(value.charAt(0)) ? ListKind.NUMBERED : ListKind.LETTERED;
      return new Marker(kind, item.group(1).length(), value, item.group(4));
    }
    Matcher bullet = BULLET.matcher(line);
    if (bullet.matches()) {
      return new Marker(
          ListKind.BULLET, bullet.group(1).length(), bullet.group(2), bullet.group(3));
    }
    return null;
  }

  private static int list(List<String> lines, int i, List<Block> out) {
    Marker first = marker(lines.get(i));
    List<Block.Item> items = new ArrayList<>();
    int at = i;
    while (at < lines.size()) {
      Marker marker = Lines.blank(lines.get(at)) ? null : marker(lines.get(at));
      if (marker == null || marker.kind != first.kind || marker.indent != first.indent) {
        break;
      }
      int end = at + 1;
      int lastText = end;
      while (end < lines.size()
          && (Lines.blank(lines.get(end)) || Lines.indent(lines.get(end)) > first.indent)) {
        if (!Lines.blank(lines.get(end))) {
          lastText = end + 1;
        }
        end++;
      }
      List<String> body = new ArrayList<>();
      body.add(marker.text);
      body.addAll(Lines.dedent(lines.subList(at + 1, lastText)));
      items.add(new Block.Item(marker.value, blocks(body)));
      at = lastText;
      while (at < lines.size() && Lines.blank(lines.get(at))) {
        at++;
      }
    }
    out.add(new Block.ItemList(first.kind, items));
    return at;
  }
}
