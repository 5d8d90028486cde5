package dev.runbook.importer.map;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The waits of "check whether the alarm is cleared": "After 2 minutes", "5 minutes later", "Wait a
 * hour", "Eight hours later", "in 5 to 10 minutes" (the longer: the alarm has had its time), or
 * words that give no time ("several minutes", "a period of time"), which wait a default and ask a
 * person to review it.
 */
final class Waits {

  /** A wait: a duration the engine reads ({@code 2m}), and whether the document gave it. */
  record Wait(String duration, boolean stated, String words) {}

  /** What a document's "several minutes" waits, until a person decides. */
  static final String UNSTATED = "5m";

  private static final Map<String, Integer> NUMBERS =
      Map.ofEntries(
          Map.entry("a", 1),
          Map.entry("an", 1),
          Map.entry("one", 1),
          Map.entry("two", 2),
          Map.entry("three", 3),
          Map.entry("four", 4),
          Map.entry("five", 5),
          Map.entry("six", 6),
          Map.entry("seven", 7),
          Map.entry("eight", 8),
          Map.entry("nine", 9),
          Map.entry("ten", 10),
          Map.entry("fifteen", 15),
          Map.entry("twenty", 20),
          Map.entry("thirty", 30),
          Map.entry("sixty", 60),
          Map.entry("half an", 0));
  private static final Pattern AMOUNT =
      Pattern.compile(
          "(?i)\\b(\\d{1,4}|half an|an|a|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|sixty)\\s+(seconds?|minutes?|mins?|hours?|days?)\\b");
  private static final Pattern VAGUE =
      Pattern.compile(
          "(?i)\\b(several|a few|some|a couple of)\\s+(seconds|minutes|hours)|a\\s+(period|while)|some\\s+time|for\\s+a\\s+while|next\\s+(system\\s+)?check|a\\s+moment");

  private Waits() {}

  /** The wait a sentence states, an unstated one it implies, or null when it names none. */
  static Wait in(String text) {
    Matcher m = AMOUNT.matcher(text);
    long best = -1;
    String words = null;
    while (m.find()) {
      String n = m.group(1).toLowerCase(Locale.ROOT);
      long seconds;
      if (n.equals("half an")) {
        seconds = 30L * 60;
      } else {
        long amount = n.chars().allMatch(Character::isDigit) ? Long.parseLong(n) : NUMBERS.get(n);
        seconds = amount * unit(m.group(2).toLowerCase(Locale.ROOT));
      }
      if (seconds > best) {
        best = seconds;
        words = m.group();
      }
    }
    if (best >= 0) {
      return new Wait(format(best), true, words);
    }
    Matcher vague = VAGUE.matcher(text);
    if (vague.find()) {
      return new Wait(UNSTATED, false, vague.group());
    }
    return null;
  }

  private static long unit(String unit) {
    if (unit.startsWith("s")) {
      return 1;
    }
    if (unit.startsWith("m")) {
      return 60;
    }
    if (unit.startsWith("h")) {
      return 3600;
    }
    return 86_400;
  }

  static String format(long seconds) {
    if (seconds == 0) {
      return "0s";
    }
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
