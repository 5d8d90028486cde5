package dev.runbook.importer.document;

/**
 * The product versions a document is for. The MRS alarm reference exists twice: for MRS 3.x and for
 * versions earlier than 3.x, with the same alarm ids and different procedures.
 */
public enum Edition {
  /** MRS 3.x (also: the edition of a document that says nothing). */
  CURRENT("MRS 3.x", "3.x"),
  /** Versions earlier than MRS 3.x. */
  PRE_3("versions earlier than MRS 3.x", "pre-3.x");

  private final String label;
  private final String option;

  Edition(String label, String option) {
    this.label = label;
    this.option = option;
  }

  /** How {@code source.applies} says it. */
  public String label() {
    return label;
  }

  /** How {@code --edition} and the alias of an older edition's runbook say it. */
  public String option() {
    return option;
  }

  /** The edition {@code --edition} names, or null. */
  public static Edition ofOption(String text) {
    for (Edition edition : values()) {
      if (edition.option.equalsIgnoreCase(text.strip())) {
        return edition;
      }
    }
    return null;
  }
}
