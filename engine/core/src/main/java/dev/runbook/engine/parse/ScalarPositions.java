package dev.runbook.engine.parse;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.SourceMap;
import dev.runbook.engine.model.SourceMap.Anchor;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Maps the characters of a scalar's value back to the file. A scalar on one line is simple: the
 * value starts where the node starts (one column later when quoted). A block scalar ({@code |},
 * {@code >-}) starts on the line after its indicator, and reading strips its indentation and, when
 * folded, turns line breaks into spaces; so we walk the scalar's source lines and find each line's
 * text in the value.
 */
final class ScalarPositions {

  private final String file;
  private final List<String> lines;

  ScalarPositions(String file, String text) {
    this.file = file;
    this.lines = List.of(text.split("\r\n|\r|\n", -1));
  }

  /**
   * Where each character of the node's value is; {@code start} is where a one-line value begins.
   */
  SourceMap of(ScalarNode node, Position start) {
    Mark from = node.getStartMark().orElse(null);
    Mark to = node.getEndMark().orElse(null);
    ScalarStyle style = node.getScalarStyle();
    boolean block = style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED;
    if (from == null || to == null || (!block && from.getLine() == to.getLine())) {
      return SourceMap.at(start);
    }
    List<Anchor> anchors = block ? blockAnchors(node, from, to) : flowAnchors(node, from, to);
    return anchors.isEmpty() ? SourceMap.at(start) : new SourceMap(anchors);
  }

  /** Content lines follow the indicator's line, all at the indentation of the first one. */
  private List<Anchor> blockAnchors(ScalarNode node, Mark from, Mark to) {
    List<Anchor> anchors = new ArrayList<>();
    int last = to.getColumn() == 0 ? to.getLine() - 1 : to.getLine();
    int indent = -1;
    int cursor = 0;
    for (int k = from.getLine() + 1; k <= last && k < lines.size(); k++) {
      String line = lines.get(k);
      if (line.isBlank()) {
        continue;
      }
      if (indent < 0) {
        indent = line.length() - line.stripLeading().length();
      }
      cursor =
          anchor(
              node.getValue(),
              line,
              k,
              Math.min(indent, line.length()),
              line.length(),
              cursor,
              anchors);
    }
    return anchors;
  }

  /** A plain or quoted scalar over several lines: each line is folded, without its indentation. */
  private List<Anchor> flowAnchors(ScalarNode node, Mark from, Mark to) {
    boolean quoted = node.getScalarStyle() != ScalarStyle.PLAIN;
    List<Anchor> anchors = new ArrayList<>();
    int cursor = 0;
    for (int k = from.getLine(); k <= to.getLine() && k < lines.size(); k++) {
      String line = lines.get(k);
      int begin =
          k == from.getLine()
              ? charIndex(line, from.getColumn()) + (quoted ? 1 : 0)
              : line.length() - line.stripLeading().length();
      int end =
          k == to.getLine()
              ? charIndex(line, to.getColumn()) - (quoted ? 1 : 0)
              : line.stripTrailing().length();
      cursor = anchor(node.getValue(), line, k, begin, end, cursor, anchors);
    }
    return anchors;
  }

  /** Finds {@code line[begin, end)} in the value from {@code cursor}; returns the new cursor. */
  private int anchor(
      String value, String line, int lineIndex, int begin, int end, int cursor, List<Anchor> into) {
    if (end <= begin) {
      return cursor;
    }
    String text = line.substring(begin, end);
    int found = value.indexOf(text, cursor);
    if (found < 0) {
      return cursor; // escapes in a double-quoted line: the previous anchor is the best we have
    }
    int column = line.codePointCount(0, begin) + 1;
    into.add(new Anchor(found, new Position(file, lineIndex + 1, column)));
    return found + text.length();
  }

  /** Marks count columns in code points; Java strings index UTF-16 units. */
  private static int charIndex(String line, int codePoints) {
    int count = Math.min(codePoints, line.codePointCount(0, line.length()));
    return line.offsetByCodePoints(0, count);
  }
}
