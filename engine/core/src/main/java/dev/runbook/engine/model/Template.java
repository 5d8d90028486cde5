package dev.runbook.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * A string that may hold {@code ${path}} references, split into its parts when the runbook is
 * parsed so that validation can check every reference and execution never re-parses.
 *
 * @param raw the text as written
 * @param parts literal text and references, in order
 * @param position where the text starts in the file
 * @param source where each character of {@code raw} is in the file (block scalars span lines)
 */
public record Template(String raw, List<Part> parts, Position position, SourceMap source) {

  public Template {
    Objects.requireNonNull(raw, "raw");
    parts = List.copyOf(parts);
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(source, "source");
  }

  /** A template written on one line, starting at {@code position}. */
  public Template(String raw, List<Part> parts, Position position) {
    this(raw, parts, position, SourceMap.at(position));
  }

  /** A part of a template. */
  public sealed interface Part permits Literal, Reference {}

  /** Text taken as it is. */
  public record Literal(String text) implements Part {}

  /**
   * A {@code ${...}} reference: {@code path} is its dotted segments ({@code [params, HostName]}),
   * {@code offset} its start within {@link #raw()}, for error columns.
   */
  public record Reference(List<String> path, int offset) implements Part {
    public Reference {
      path = List.copyOf(path);
    }

    public String root() {
      return path.get(0);
    }

    public String dotted() {
      return String.join(".", path);
    }
  }

  /** Whether the text holds no reference at all. */
  public boolean isLiteral() {
    return parts.stream().allMatch(p -> p instanceof Literal);
  }

  public List<Reference> references() {
    return parts.stream().filter(Reference.class::isInstance).map(Reference.class::cast).toList();
  }

  /** Where a reference's {@code ${} is in the file. */
  public Position positionOf(Reference reference) {
    return source.positionOf(reference.offset());
  }

  @Override
  public String toString() {
    return raw;
  }
}
