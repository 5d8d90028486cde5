package dev.runbook.engine.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named place where steps run.
 *
 * @param name the name steps use in {@code on:}
 * @param kind {@code local}, {@code ssh} or {@code kubectl}; {@code unreadable} for a target whose
 *     declaration has a problem (already reported), kept so that steps naming it do not add
 *     follow-on problems: a runbook with problems never runs
 * @param settings the target's settings ({@code host}, {@code user}, {@code port}, {@code context}
 *     …), each a template resolved when a step uses the target
 * @param position where it is declared
 */
public record TargetSpec(
    String name, String kind, Map<String, Template> settings, Position position) {

  public static final String LOCAL = "local";
  public static final String UNREADABLE = "unreadable";

  public TargetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    Objects.requireNonNull(position, "position");
  }

  /** The kind of a {@code kubectl:} target: a cluster, reached by a program run elsewhere. */
  public static final String KUBECTL = "kubectl";

  /**
   * Whether targets of this kind are API clients rather than machines: their commands run on their
   * {@code via} target, or on the engine's machine when they have none.
   */
  public static boolean isClient(String kind) {
    return KUBECTL.equals(kind);
  }

  public static TargetSpec local(Position position) {
    return new TargetSpec(LOCAL, LOCAL, Map.of(), position);
  }

  /** A declared target whose declaration could not be read; its problem is already reported. */
  public static TargetSpec unreadable(String name, Position position) {
    return new TargetSpec(name, UNREADABLE, Map.of(), position);
  }
}
