package dev.runbook.importer.document;

import dev.runbook.importer.markup.Block;
import dev.runbook.importer.markup.Inline;
import dev.runbook.importer.read.DocumentFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbered steps of a procedure section. Numbers continue across the lists that bold
 * sub-headings separate: {@code #.} counts on, an explicit {@code 9.} is taken as written, and a
 * list that starts again at 1 (a copied web page restarts every list) counts on too. Markdown's
 * numbered headings ("### 2. Create storage") are steps as well.
 */
final class ProcedureReader {

  private static final Pattern NUMBERED_HEADING = Pattern.compile("(\\d{1,3})[.)]\\s+(.*)");

  private final StepReader steps;
  private final DocumentFormat format;
  private final List<DocStep> out = new ArrayList<>();
  private final List<String> pendingLabels = new ArrayList<>();
  private int last;
  private String heading;
  private List<Block> lastBlocks = new ArrayList<>();
  private List<String> lastLabels = List.of();

  ProcedureReader(DocumentFormat format) {
    this.format = format;
    this.steps = new StepReader(format);
  }

  List<DocStep> read(List<Block> blocks) {
    int i = 0;
    while (i < blocks.size()) {
      Block block = blocks.get(i);
      if (block instanceof Block.Heading h) {
        Matcher numbered = NUMBERED_HEADING.matcher(h.title());
        if (format == DocumentFormat.MARKDOWN && numbered.matches()) {
          int end = i + 1;
          while (end < blocks.size() && !(blocks.get(end) instanceof Block.Heading)) {
            end++;
          }
          List<Block> body = new ArrayList<>();
          body.add(new Block.Paragraph(List.of(new Inline.Text(numbered.group(2) + "."))));
          body.addAll(blocks.subList(i + 1, end));
          add(numbered.group(1), body);
          i = end;
          continue;
        }
        heading = h.title();
      } else if (block instanceof Block.Label label) {
        pendingLabels.add(label.name());
      } else if (block instanceof Block.ItemList list && list.kind() != Block.ListKind.BULLET) {
        list.items().forEach(item -> add(item.marker(), item.blocks()));
      } else if (block instanceof Block.Paragraph p && isHeading(p)) {
        heading = p.plain().strip();
      } else if (!out.isEmpty()) {
        // Text between lists ("The following is an example of …", or cases whose indentation
        // slipped) belongs to the step before it: read that step again with it.
        DocStep previous = out.remove(out.size() - 1);
        lastBlocks.add(block);
        out.add(steps.read(previous.number(), previous.heading(), lastLabels, lastBlocks));
      }
      i++;
    }
    return out;
  }

  private boolean isHeading(Block.Paragraph p) {
    if (format == DocumentFormat.PLAIN_TEXT) {
      return true; // a copied page's sub-headings are lines of their own
    }
    boolean bold = false;
    for (Inline span : p.inlines()) {
      if (span instanceof Inline.Strong) {
        bold = true;
      } else if (!span.text().isBlank()) {
        return false;
      }
    }
    return bold;
  }

  private void add(String marker, List<Block> body) {
    int number;
    if (marker.chars().allMatch(Character::isDigit)) {
      int written = Integer.parseInt(marker);
      number = written > last ? written : last + 1;
    } else {
      number = last + 1;
    }
    last = number;
    lastBlocks = new ArrayList<>(body);
    lastLabels = List.copyOf(pendingLabels);
    out.add(steps.read(Integer.toString(number), heading, lastLabels, body));
    pendingLabels.clear();
  }
}
