package dev.runbook.importer.read;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * reStructuredText's two table forms as rows of plain cells: simple tables ({@code ===== =====}
 * borders) and grid tables ({@code +----+----+}). A cell spread over several lines is joined.
 */
final class Tables {

  static final Pattern SIMPLE_BORDER = Pattern.compile("=+( +=+)+ *");
  static final Pattern GRID_BORDER = Pattern.compile("\\+([-=]+\\+)+ *");

  private Tables() {}

  /** A table read from {@code lines[from..]}: its rows, and the index of the line after it. */
  record Read(List<List<String>> rows, int next) {}

  static Read simple(List<String> lines, int from) {
    String border = lines.get(from);
    List<int[]> columns = new ArrayList<>();
    int i = 0;
    while (i < border.length()) {
      if (border.charAt(i) == '=') {
        int start = i;
        while (i < border.length() && border.charAt(i) == '=') {
          i++;
        }
        columns.add(new int[] {start, i});
      } else {
        i++;
      }
    }
    List<List<String>> rows = new ArrayList<>();
    int borders = 1;
    int at = from + 1;
    while (at < lines.size()) {
      String line = lines.get(at);
      if (SIMPLE_BORDER.matcher(line).matches()) {
        borders++;
        at++;
        // The third border closes the table; a header-less table has only two.
        if (borders == 3 || at >= lines.size() || Lines.blank(lines.get(at))) {
          break;
        }
        continue;
      }
      if (Lines.blank(line)) {
        at++;
        continue;
      }
      List<String> cells = cut(line, columns);
      if (!rows.isEmpty() && cells.get(0).isEmpty()) {
        List<String> previous = rows.get(rows.size() - 1);
        for (int c = 0; c < cells.size(); c++) {
          if (!cells.get(c).isEmpty()) {
            previous.set(c, (previous.get(c) + " " + cells.get(c)).strip());
          }
        }
      } else {
        rows.add(cells);
      }
      at++;
    }
    return new Read(rows, at);
  }

  private static List<String> cut(String line, List<int[]> columns) {
    List<String> cells = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      int start = Math.min(columns.get(c)[0], line.length());
      int end =
          c == columns.size() - 1 ? line.length() : Math.min(columns.get(c)[1], line.length());
      cells.add(line.substring(start, Math.max(start, end)).strip());
    }
    return cells;
  }

  static Read grid(List<String> lines, int from) {
    String border = lines.get(from);
    List<Integer> plus = new ArrayList<>();
    for (int i = 0; i < border.length(); i++) {
      if (border.charAt(i) == '+') {
        plus.add(i);
      }
    }
    List<List<String>> rows = new ArrayList<>();
    List<StringBuilder> cells = null;
    int at = from + 1;
    while (at < lines.size()) {
      String line = lines.get(at);
      if (GRID_BORDER.matcher(line).matches()) {
        if (cells != null) {
          rows.add(cells.stream().map(b -> b.toString().strip()).toList());
          cells = null;
        }
        at++;
        continue;
      }
      if (!line.startsWith("|")) {
        break;
      }
      if (cells == null) {
        cells = new ArrayList<>();
        for (int c = 0; c + 1 < plus.size(); c++) {
          cells.add(new StringBuilder());
        }
      }
      for (int c = 0; c + 1 < plus.size(); c++) {
        int start = Math.min(plus.get(c) + 1, line.length());
        int end = Math.min(plus.get(c + 1), line.length());
        String part = line.substring(start, Math.max(start, end)).strip();
        if (!part.isEmpty()) {
          cells.get(c).append(cells.get(c).length() > 0 ? " " : "").append(part);
        }
      }
      at++;
    }
    if (cells != null) {
      rows.add(cells.stream().map(b -> b.toString().strip()).toList());
    }
    return new Read(rows, at);
  }
}
