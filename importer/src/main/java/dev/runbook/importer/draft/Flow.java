package dev.runbook.importer.draft;

/** Where a step leads: another step, or an end written in place. */
public sealed interface Flow {

  /** A step of the same list, by id. */
  record ToStep(String id) implements Flow {}

  /**
   * A step of the document, by its number and link label; resolved to a {@link ToStep} before the
   * runbook is written.
   */
  record ToDocument(String number, String label) implements Flow {}

  /** {@code {end: resolved, message: …}}. */
  record End(String outcome, String message) implements Flow {}

  /** {@code {return: yes}} in a procedure. */
  record Return(boolean value) implements Flow {}
}
