package dev.runbook.importer.map;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Step ids: {@code step-7} for the first step of document step 7, {@code step-7-run}, {@code
 * step-7-check} … for the others, {@code step-1d} for sub-step 1.d; unique in the runbook.
 */
final class StepIds {

  private final Set<String> used = new HashSet<>();

  StepIds(Set<String> reserved) {
    used.addAll(reserved);
  }

  /** The id for a step of document step {@code number} with an optional suffix. */
  String next(String number, String suffix) {
    String base =
        number == null
            ? "step"
            : "step-" + number.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
    if (suffix != null) {
      base = base + "-" + suffix;
    }
    String id = base;
    int n = 2;
    while (!used.add(id)) {
      id = base + "-" + n++;
    }
    return id;
  }
}
