package dev.runbook.engine;

import java.util.Locale;
import java.util.Objects;

/**
 * A person's answer.
 *
 * @param value {@code yes} or {@code no} for a question, a confirmation or a step in doubt; the
 *     chosen case of a multi-way question; the value a step captures
 * @param via how it was given: {@code terminal}, {@code --answer}, {@code answers-file}, {@code
 *     api}
 * @param operator who gave it (as they named themselves: {@code RUNBOOK_OPERATOR}, or the OS user)
 * @param note what the person added to the answer, or null
 */
public record Answer(String value, String via, String operator, String note) {

  public Answer {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(operator, "operator");
    if (note != null && note.isBlank()) {
      note = null;
    }
  }

  /** A yes or no. */
  public static Answer yesNo(boolean yes, String via, String operator, String note) {
    return new Answer(yes ? "yes" : "no", via, operator, note);
  }

  public boolean yes() {
    return value.equals("yes");
  }

  /**
   * An answer as a person typed it, for the question it answers: a value to capture is taken as
   * given without surrounding blanks; a case of a choice in any letter case ({@code rhel} picks
   * {@code RHEL}); any other answer as {@link #normalize(String)} reads it.
   */
  public static String normalize(String typed, Question question) {
    return switch (question.kind()) {
      case VALUE -> typed.strip();
      case CHOICE ->
          question.choices().stream()
              .filter(c -> c.equalsIgnoreCase(typed.strip()))
              .findFirst()
              .orElse(typed.strip());
      default -> normalize(typed);
    };
  }

  /**
   * An answer as a person typed it: yes, y, true, done mean yes; no, n, false mean no (any case);
   * anything else is a case or a value, taken as given without surrounding blanks.
   */
  public static String normalize(String typed) {
    return switch (typed.strip().toLowerCase(Locale.ROOT)) {
      case "yes", "y", "true", "done" -> "yes";
      case "no", "n", "false" -> "no";
      default -> typed.strip();
    };
  }
}
