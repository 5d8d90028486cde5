package dev.runbook.importer.markup;

import java.util.List;

/** A span of a paragraph. */
public sealed interface Inline {

  /** The span's text as a reader sees it. */
  String text();

  /** Plain text. */
  record Text(String text) implements Inline {}

  /** Bold: vendor documents put commands, menu names and user names in bold. */
  record Strong(String text) implements Inline {}

  /** Italic: in a command, a placeholder the reader fills in ("*NIC name*"). */
  record Emphasis(String text) implements Inline {}

  /** Inline code (Markdown's backticks, reStructuredText's double backquotes). */
  record Code(String text) implements Inline {}

  /** A link to a place in the same document: {@code :ref:`9 <alm-12017__li…>`}. */
  record Ref(String text, String label) implements Inline {}

  /** A link elsewhere. */
  record Link(String text, String url) implements Inline {}

  /** The plain text of spans, markup dropped. */
  static String plain(List<Inline> inlines) {
    StringBuilder out = new StringBuilder();
    inlines.forEach(i -> out.append(i.text()));
    return out.toString();
  }
}
