package dev.runbook.importer.document;

import dev.runbook.importer.markup.Inline;
import java.util.List;

/** A piece of a step's text. */
public sealed interface Part {

  /** The piece as plain text. */
  String text();

  /** True when the piece begins a new paragraph of the step. */
  boolean startsParagraph();

  /**
   * One sentence, with its inline markup and the commands it names ("Run the **df -h** command").
   */
  record Sentence(List<Inline> inlines, List<CommandSpan> commands, boolean startsParagraph)
      implements Part {
    public Sentence {
      inlines = List.copyOf(inlines);
      commands = List.copyOf(commands);
    }

    @Override
    public String text() {
      return Inline.plain(inlines).strip();
    }
  }

  /**
   * Text set apart from the sentences: a bold-only paragraph or a literal block.
   *
   * @param text as written (placeholders shown as {@code <…>})
   * @param kind what the introducing sentence says it is
   * @param placeholders the placeholders the reader must fill in; empty when there are none
   */
  record CommandBlock(String text, BlockKind kind, List<String> placeholders) implements Part {
    public CommandBlock {
      placeholders = List.copyOf(placeholders);
    }

    @Override
    public String text() {
      return text;
    }

    @Override
    public boolean startsParagraph() {
      return true;
    }
  }

  /** A note, a table, an alternative: for the reader, never run. */
  record Note(String text) implements Part {
    @Override
    public boolean startsParagraph() {
      return true;
    }
  }

  /** What a {@link CommandBlock} is, by the sentence that introduces it. */
  enum BlockKind {
    /** Shell commands to run ("Run the following command:"). */
    SHELL,
    /** SQL or another program's statements ("Run the following SQL statement:"). */
    STATEMENT,
    /** An example, or a program's output ("For example:", "The command output is as follows:"). */
    EXAMPLE
  }
}
