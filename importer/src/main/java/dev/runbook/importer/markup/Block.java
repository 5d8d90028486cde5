package dev.runbook.importer.markup;

import java.util.List;

/** One block of a document, as its format lays it out. */
public sealed interface Block {

  /** A section title; {@code level} 1 is the document's title. */
  record Heading(String title, int level) implements Block {}

  /** Running text, with its inline markup. */
  record Paragraph(List<Inline> inlines) implements Block {
    public Paragraph {
      inlines = List.copyOf(inlines);
    }

    public String plain() {
      return Inline.plain(inlines);
    }
  }

  /** A bullet or enumerated list. */
  record ItemList(ListKind kind, List<Item> items) implements Block {
    public ItemList {
      items = List.copyOf(items);
    }
  }

  /**
   * One list item: {@code marker} is what the document wrote ({@code "#"}, {@code "7"}, {@code
   * "a"}, {@code "-"}), {@code blocks} its content.
   */
  record Item(String marker, List<Block> blocks) {
    public Item {
      blocks = List.copyOf(blocks);
    }
  }

  /** Text shown as written: a code block, a literal block, a fenced block. */
  record Literal(String text, String language) implements Block {}

  /** A directive with a body of blocks: {@code note}, {@code warning}, … */
  record Directive(String name, List<Block> blocks) implements Block {
    public Directive {
      blocks = List.copyOf(blocks);
    }
  }

  /** A link target: reStructuredText's {@code .. _name:}. */
  record Label(String name) implements Block {}

  /** A document field: {@code :original_name: ALM-12015.html}. */
  record Field(String name, String value) implements Block {}

  /** A table: the header row first, every cell as plain text. */
  record Table(List<List<String>> rows) implements Block {
    public Table {
      rows = rows.stream().map(List::copyOf).toList();
    }
  }

  /** The kinds of list. */
  enum ListKind {
    BULLET,
    /** {@code 1.}, {@code #.}: the document's steps. */
    NUMBERED,
    /** {@code a.}: sub-steps. */
    LETTERED
  }
}
