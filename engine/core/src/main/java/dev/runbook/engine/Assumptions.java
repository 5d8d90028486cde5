package dev.runbook.engine;

import dev.runbook.engine.model.Cases;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.parse.Suggestions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The answers a dry run is told to assume ({@code --assume STEP=ANSWER}), checked against the steps
 * they name: {@code yes} or {@code no}, or for a multi-way step one of its cases (in any letter
 * case) or {@code other}, its default.
 */
final class Assumptions {

  private Assumptions() {}

  /** The assumptions as the planner takes them: {@code yes}, {@code no}, or a case's label. */
  static Map<String, String> check(Runbook runbook, Map<String, String> assumptions)
      throws Refused {
    Map<String, String> checked = new LinkedHashMap<>();
    Set<String> ids = Engine.stepIds(runbook);
    for (Map.Entry<String, String> entry : assumptions.entrySet()) {
      String id = entry.getKey();
      String given = entry.getValue();
      Optional<Step> step =
          Engine.stepsOf(runbook).stream().filter(s -> s.id().equals(id)).findFirst();
      if (step.isEmpty()) {
        throw new Refused(
            Refused.Reason.USAGE,
            "--assume "
                + id
                + ": runbook "
                + runbook.id()
                + " has no step '"
                + id
                + "'"
                + Suggestions.hint(id, ids));
      }
      Cases cases = step.get().cases();
      String value = cases == null ? yesNo(given) : label(cases, given);
      if (value == null) {
        throw new Refused(
            Refused.Reason.USAGE,
            "--assume "
                + id
                + "="
                + given
                + ": "
                + (cases == null
                    ? "the answer must be yes or no"
                    : "the answer must be one of "
                        + String.join(", ", cases.answers())
                        + Suggestions.hint(given, cases.answers())));
      }
      checked.put(id, value);
    }
    return checked;
  }

  private static String yesNo(String given) {
    return switch (given) {
      case "yes", "true" -> "yes";
      case "no", "false" -> "no";
      default -> null;
    };
  }

  private static String label(Cases cases, String given) {
    return cases.answers().stream()
        .filter(a -> a.equalsIgnoreCase(given.strip()))
        .findFirst()
        .orElse(null);
  }
}
