package dev.runbook.engine.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed runbook: immutable, the same for every run of it. Run state and audit records are other
 * types.
 *
 * @param id the runbook's id
 * @param title one line
 * @param description longer text, or null
 * @param source the document it encodes, or null
 * @param alarms alarm ids that select it
 * @param severity the alarm's severity, or null
 * @param lock the lock key template, or null
 * @param trigger how an alert starts it ({@code runbook serve}); the defaults when it has no {@code
 *     trigger:}
 * @param params declared parameters, in order
 * @param targets declared targets, in order, always including {@code local}
 * @param procedures named procedures
 * @param steps the main step list; the first is the entry
 * @param file the file it was read from, as the user named it
 * @param contentHash SHA-256 of the file's bytes, hex
 */
public record Runbook(
    String id,
    String title,
    String description,
    Source source,
    List<String> alarms,
    String severity,
    Template lock,
    Trigger trigger,
    Map<String, ParamSpec> params,
    Map<String, TargetSpec> targets,
    Map<String, Procedure> procedures,
    List<Step> steps,
    String file,
    String contentHash) {

  public Runbook {
    Objects.requireNonNull(id, "id");
    alarms = List.copyOf(alarms);
    Objects.requireNonNull(trigger, "trigger");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
    procedures = Collections.unmodifiableMap(new LinkedHashMap<>(procedures));
    steps = List.copyOf(steps);
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(contentHash, "contentHash");
  }

  public Optional<Step> step(String stepId) {
    return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
  }

  /** Whether this runbook answers to the given alarm id or runbook id (case-insensitive). */
  public boolean answersTo(String name) {
    if (id.equalsIgnoreCase(name)) {
      return true;
    }
    return alarms.stream().anyMatch(a -> a.equalsIgnoreCase(name));
  }
}
