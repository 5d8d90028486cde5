package dev.runbook.importer.map;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Check whether the alarm is cleared" in its forms: "After 2 minutes, check whether the alarm is
 * cleared.", "check whether this alarm is cleared 1 minute later", "Wait for 5 minutes, and check
 * whether the alarm is automatically cleared.", "check whether the alarm ALM-25000 … is cleared"
 * (when it is the document's own alarm).
 */
final class ClearedCheck {

  private static final Pattern CHECK =
      Pattern.compile(
          "(?i)\\b(?:check|checking|verify|confirm)\\s+(?:whether|if)\\s+(?:the\\s+|this\\s+)?alarm\\b(?<between>[^.;]{0,120}?)\\s+(?:is|has\\s+been|was)\\s+(?:automatically\\s+|manually\\s+)?cleared");
  private static final Pattern OTHER_ALARM = Pattern.compile("(?i)ALM-(\\d+)");
  private static final Pattern PERSISTS =
      Pattern.compile(
          "(?i)^(?:the\\s+|this\\s+)?alarm\\s+(?:persists|is\\s+not\\s+cleared|still\\s+exists|is\\s+reported\\s+again|is\\s+generated\\s+again)");
  private static final Pattern CLEARED =
      Pattern.compile(
          "(?i)^(?:the\\s+|this\\s+)?alarm\\s+(?:is|has\\s+been)\\s+(?:automatically\\s+)?cleared");
  private static final String TIME =
      "(?i)\\b(?:\\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a\\s+few|some)\\s+"
          + "(?:seconds?|minutes?|hours?|days?)(?:\\s+later)?|a\\s+period\\s+of\\s+time|a\\s+while";
  private static final Pattern WAIT_PHRASE =
      Pattern.compile("(?i)[,\\s]*\\b(?:wait|after)(?:\\s+for)?(?:\\s+about)?\\s+(?:" + TIME + ")");

  private ClearedCheck() {}

  /** True when the sentence checks whether the document's own alarm is cleared. */
  static boolean in(String sentence, String alarmId) {
    Matcher m = CHECK.matcher(sentence);
    while (m.find()) {
      Matcher other = OTHER_ALARM.matcher(m.group("between"));
      if (!other.find() || other.group(1).equals(alarmId)) {
        return true;
      }
    }
    return false;
  }

  /** A case condition that says the alarm is cleared. */
  static boolean clearedCondition(String condition) {
    return CLEARED.matcher(condition.strip()).find();
  }

  /** A case condition that says the alarm is not cleared. */
  static boolean persistsCondition(String condition) {
    return PERSISTS.matcher(condition.strip()).find();
  }

  /**
   * What a sentence asks a person to do besides the check: "Handle the large file and check whether
   * the alarm is cleared 2 minutes later." leaves "Handle the large file"; "After 2 minutes, check
   * whether the alarm is cleared." leaves nothing.
   */
  static String remainder(String sentence) {
    Matcher m = CHECK.matcher(sentence);
    if (!m.find()) {
      return sentence;
    }
    String before = sentence.substring(0, m.start());
    String words =
        before
            .replaceAll(TIME, " ")
            .replaceAll("(?i)\\b(after|wait|for|about|then|and|later)\\b", " ")
            .replaceAll("[^A-Za-z0-9 ]", " ")
            .strip();
    if (words.isEmpty()
        || words.split("\\s+").length < 2
        || before.strip().matches("(?i)(after|when|once)\\b.*")) {
      return ""; // "After the disk capacity is expanded, wait 2 minutes and check …": a time, not a
      // task
    }
    String kept =
        WAIT_PHRASE
            .matcher(before)
            .replaceAll("")
            .replaceAll("(?i)[,\\s]*(?:\\band\\s*)?(?:\\bthen,?\\s*)?$", "")
            .strip();
    return kept.endsWith(".") ? kept : kept + ".";
  }
}
