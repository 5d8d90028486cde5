package dev.runbook.importer.read;

import dev.runbook.importer.markup.Block;
import java.util.List;
import java.util.Locale;

/** The formats {@code runbook import} reads, told apart by file name. */
public enum DocumentFormat {
  RESTRUCTURED_TEXT("reStructuredText"),
  MARKDOWN("Markdown"),
  PLAIN_TEXT("plain text");

  private final String label;

  DocumentFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The format of a file by its name, or null when its name says no format this reads. */
  public static DocumentFormat of(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".rst") || name.endsWith(".rest")) {
      return RESTRUCTURED_TEXT;
    }
    if (name.endsWith(".md") || name.endsWith(".markdown")) {
      return MARKDOWN;
    }
    if (name.endsWith(".txt") || name.endsWith(".text")) {
      return PLAIN_TEXT;
    }
    return null;
  }

  /** The document's blocks. */
  public List<Block> read(String text) {
    return switch (this) {
      case RESTRUCTURED_TEXT -> RstReader.read(text);
      case MARKDOWN -> MarkdownReader.read(text);
      case PLAIN_TEXT -> TextReader.read(text);
    };
  }
}
