package dev.runbook.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a runbook's steps capture ({@code capture:} on an ask or a manual step), by name, with
 * the steps that capture each, in document order. Later steps read them as {@code
 * ${captured.NAME}}.
 *
 * @param byName the capturing steps of each name; never empty lists
 */
public record Captures(Map<String, List<Site>> byName) {

  /** A step that captures a value, and how the value is typed. */
  public record Site(Step step, ParamSpec spec) {}

  public static final Captures NONE = new Captures(Map.of());

  public Captures {
    Map<String, List<Site>> copy = new LinkedHashMap<>();
    byName.forEach((name, sites) -> copy.put(name, List.copyOf(sites)));
    byName = Collections.unmodifiableMap(copy);
  }

  /** The captures of the runbook's own steps: its main steps, then each of its procedures. */
  public static Captures of(Runbook runbook) {
    Map<String, List<Site>> byName = new LinkedHashMap<>();
    List<List<Step>> lists = new ArrayList<>();
    lists.add(runbook.steps());
    runbook.procedures().values().forEach(p -> lists.add(p.steps()));
    for (List<Step> list : lists) {
      for (Step step : list) {
        ParamSpec spec = StepKind.captureOf(step.kind());
        if (spec != null) {
          byName.computeIfAbsent(spec.name(), n -> new ArrayList<>()).add(new Site(step, spec));
        }
      }
    }
    return new Captures(byName);
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** How the value is typed (the first capturing step's declaration), or null for no such name. */
  public ParamSpec spec(String name) {
    List<Site> sites = byName.get(name);
    return sites == null ? null : sites.get(0).spec();
  }

  /**
   * The steps that capture the value, for messages and the dry run: {@code find-host or ask-again}.
   */
  public String capturedBy(String name) {
    List<Site> sites = byName.getOrDefault(name, List.of());
    return String.join(" or ", sites.stream().map(s -> s.step().id()).distinct().toList());
  }

  /** Every captured name with its type, as conditions see them. */
  public Map<String, ParamType> types() {
    Map<String, ParamType> types = new LinkedHashMap<>();
    byName.forEach((name, sites) -> types.put(name, sites.get(0).spec().type()));
    return types;
  }
}
