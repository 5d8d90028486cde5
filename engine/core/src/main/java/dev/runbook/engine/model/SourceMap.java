package dev.runbook.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Where the characters of a value, as YAML read it, stand in the file. A value written on one line
 * needs one anchor; a block scalar ({@code |}, {@code >-}) or a multi-line flow scalar has one per
 * source line, because reading removes indentation and folds line breaks.
 *
 * @param anchors value offsets and their file positions, in increasing offset order; never empty
 */
public record SourceMap(List<Anchor> anchors) {

  /**
   * The character at {@code offset} of the value is at {@code position} in the file; the ones after
   * it on the same source line follow column by column.
   */
  public record Anchor(int offset, Position position) {
    public Anchor {
      Objects.requireNonNull(position, "position");
    }
  }

  public SourceMap {
    anchors = List.copyOf(anchors);
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("a source map needs at least one anchor");
    }
  }

  /** A value written on one line, starting at {@code start}. */
  public static SourceMap at(Position start) {
    return new SourceMap(List.of(new Anchor(0, start)));
  }

  /** Where the value's first character is. */
  public Position start() {
    return anchors.get(0).position();
  }

  /** Where the character at {@code offset} of the value is. */
  public Position positionOf(int offset) {
    Anchor best = anchors.get(0);
    for (Anchor anchor : anchors) {
      if (anchor.offset() <= offset) {
        best = anchor;
      }
    }
    return best.position().shifted(Math.max(0, offset - best.offset()));
  }
}
