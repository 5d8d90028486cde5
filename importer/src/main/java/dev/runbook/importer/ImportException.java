package dev.runbook.importer;

/** A document that cannot be imported: unreadable, or of a shape the importer does not read. */
public final class ImportException extends Exception {

  private static final long serialVersionUID = 1L;

  public ImportException(String message) {
    super(message);
  }
}
