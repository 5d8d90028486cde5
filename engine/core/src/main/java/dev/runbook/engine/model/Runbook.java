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
 * @param uses the libraries it uses ({@code uses:}), each with the file that answered once the
 *     runbook is linked ({@link #linked})
 * @param shared the procedures of the libraries it uses, by the names it calls them by ({@code
 *     mrs-common.wait-cleared}); empty until linked
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
    String contentHash,
    List<LibraryUse> uses,
    Map<String, Procedure> shared) {

  public Runbook {
    uses = List.copyOf(uses);
    shared = Collections.unmodifiableMap(new LinkedHashMap<>(shared));
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

  /** A runbook that uses no library. */
  public Runbook(
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
    this(
        id,
        title,
        description,
        source,
        alarms,
        severity,
        lock,
        trigger,
        params,
        targets,
        procedures,
        steps,
        file,
        contentHash,
        List.of(),
        Map.of());
  }

  /**
   * This runbook with the libraries it uses linked: each use names the file that answered, and
   * their procedures are callable by their qualified names.
   */
  public Runbook linked(List<LibraryUse> linkedUses, Map<String, Procedure> sharedProcedures) {
    return new Runbook(
        id,
        title,
        description,
        source,
        alarms,
        severity,
        lock,
        trigger,
        params,
        targets,
        procedures,
        steps,
        file,
        contentHash,
        linkedUses,
        sharedProcedures);
  }

  /** The procedure a {@code call:} names: one of its own, or a used library's; null for none. */
  public Procedure procedure(String name) {
    Procedure own = procedures.get(name);
    return own != null ? own : shared.get(name);
  }

  /** Every procedure a step may call: its own, then the used libraries'. */
  public Map<String, Procedure> callable() {
    Map<String, Procedure> all = new LinkedHashMap<>(procedures);
    shared.forEach(all::putIfAbsent);
    return all;
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
