package dev.runbook.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run would do: the steps it can reach, in order, each with its target, its exact command
 * (secrets masked), and where every branch leads. Built by {@link Planner} without running
 * anything; the CLI prints it, {@code --output json} serializes it as it is.
 *
 * @param runbook the runbook's id
 * @param title its title
 * @param file the file it came from
 * @param source the document it encodes, in one line, or null
 * @param params every declared parameter with its value (masked when secret) and where it came from
 * @param lock the lock key, or null
 * @param assumptions the {@code --assume} answers followed; empty for the whole graph
 * @param steps the planned steps
 * @param pathEnd when following assumptions: how the path ends ({@code end: resolved}, or why it
 *     stops); null for the whole graph
 * @param unresolved references with no value yet (parameters not given, results of earlier steps)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Plan(
    String runbook,
    String title,
    String file,
    String source,
    List<PlannedParam> params,
    String lock,
    Map<String, String> assumptions,
    List<PlannedStep> steps,
    String pathEnd,
    List<String> unresolved) {

  public Plan {
    params = List.copyOf(params);
    // Kept in the order given: the plan prints them.
    assumptions = Collections.unmodifiableMap(new LinkedHashMap<>(assumptions));
    steps = List.copyOf(steps);
    unresolved = List.copyOf(unresolved);
  }

  /**
   * One parameter as the plan shows it.
   *
   * @param origin {@code given}, {@code default}, or {@code missing}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PlannedParam(
      String name, String value, String origin, boolean secret, boolean required) {}
}
