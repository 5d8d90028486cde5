package dev.runbook.importer.document;

import java.util.List;

/**
 * One branch of a step: "If yes, go to 2.", "If no, the disk is not a system disk. Then go to 7.",
 * "For SUSE Linux, go to 6.".
 *
 * @param keyword how the condition begins: "if", "for", "when" …
 * @param condition the condition as written ("yes", "it is not", "the dump mode is FTP")
 * @param polarity whether the condition is a plain yes or no
 * @param sentences what the case says after its condition
 * @param nested cases inside this one ("If yes, check whether the job is abnormal. - If it is…")
 * @param goTo the step it sends the reader to, or null
 * @param ending how it ends the procedure, or {@link Ending#NONE}
 */
public record Case(
    String keyword,
    String condition,
    Polarity polarity,
    List<Part.Sentence> sentences,
    List<Case> nested,
    GoTo goTo,
    Ending ending) {

  public Case {
    sentences = List.copyOf(sentences);
    nested = List.copyOf(nested);
  }

  /** What the case says after its condition, as plain text. */
  public String text() {
    return String.join(" ", sentences.stream().map(Part.Sentence::text).toList()).strip();
  }

  /** How a case's condition reads. */
  public enum Polarity {
    YES,
    NO,
    /** A condition in words: "the dump mode is FTP", "For Red Hat Enterprise Linux". */
    OTHER
  }

  /** How a case ends the procedure. */
  public enum Ending {
    NONE,
    /** "No further action is required." */
    RESOLVED,
    /** "Contact O&M personnel." */
    ESCALATED
  }
}
