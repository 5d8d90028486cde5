package dev.runbook.engine.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named place where steps run.
 *
 * @param name the name steps use in {@code on:}
 * @param kind the kind a plugin brings ({@code local}, {@code ssh}, {@code kubectl}, …); {@code
 *     unreadable} for a target whose declaration has a problem (already reported), kept so that
 *     steps naming it do not add follow-on problems: a runbook with problems never runs
 * @param client whether the kind is an API client rather than a machine: a step's commands then run
 *     on the target its {@code via} setting names, or on the engine's machine
 * @param settings the target's settings ({@code host}, {@code user}, {@code port}, {@code context}
 *     …), each a template resolved when a step uses the target
 * @param position where it is declared
 */
public record TargetSpec(
    String name, String kind, boolean client, Map<String, Template> settings, Position position) {

  /** The name (and kind) of the engine's own machine, where a step without {@code on:} runs. */
  public static final String LOCAL = "local";

  public static final String UNREADABLE = "unreadable";

  public TargetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    Objects.requireNonNull(position, "position");
  }

  public static TargetSpec local(Position position) {
    return new TargetSpec(LOCAL, LOCAL, false, Map.of(), position);
  }

  /** A declared target whose declaration could not be read; its problem is already reported. */
  public static TargetSpec unreadable(String name, Position position) {
    return new TargetSpec(name, UNREADABLE, false, Map.of(), position);
  }
}
