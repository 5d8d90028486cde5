package dev.runbook.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a runbook or procedure, as written.
 *
 * @param id unique within its step list
 * @param position where the step starts
 * @param title short human name, or null
 * @param ref the document's step number(s), or null
 * @param doc a note, or null
 * @param on the target template, or null for {@code local}
 * @param kind what the step does
 * @param next explicit {@code next:}, or null
 * @param yes the branch when the step's value is true, or null
 * @param no the branch when the step's value is false, or null
 * @param onFailure where to go when the action fails, or null
 * @param cases the branches of a multi-way step (a {@code switch}, an {@code ask} with {@code
 *     cases}), or null
 * @param maxVisits how often the step may run in one run, or null for no explicit bound
 * @param fields where each key of the step is, for messages about a single field; a key of a
 *     mapping inside the step (an action input, an entry of {@code with}) is there as {@code
 *     outer/inner}
 */
public record Step(
    String id,
    Position position,
    String title,
    String ref,
    String doc,
    Template on,
    StepKind kind,
    Branch next,
    Branch yes,
    Branch no,
    Branch onFailure,
    Cases cases,
    Integer maxVisits,
    Map<String, Position> fields) {

  public Step {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(kind, "kind");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Where a key of this step is written, or the step's own position. */
  public Position positionOf(String key) {
    return fields.getOrDefault(key, position);
  }

  /** Where a key of a mapping inside the step is written ({@code with: {node: …}}). */
  public Position positionOf(String key, String innerKey) {
    return fields.getOrDefault(key + "/" + innerKey, positionOf(key));
  }

  /** Whether the step chooses between {@code yes} and {@code no}. */
  public boolean branches() {
    return yes != null || no != null;
  }

  /** Whether the step ends its list: an {@code end} or a {@code return}. */
  public boolean terminal() {
    return kind instanceof StepKind.End || kind instanceof StepKind.Return;
  }

  /**
   * Whether flow may go on to the next step in the list when the step succeeds: it names no
   * successor of its own ({@code next}, or both {@code yes} and {@code no}) and does not end the
   * list.
   */
  public boolean fallsThrough() {
    return !terminal() && next == null && !(yes != null && no != null) && cases == null;
  }

  /**
   * Every branch the step names: {@code next}, {@code yes}, {@code no}, each case and {@code
   * default}, {@code on_failure}; in that order.
   */
  public List<Branch> allBranches() {
    List<Branch> all = new ArrayList<>();
    for (Branch b : new Branch[] {next, yes, no}) {
      if (b != null) {
        all.add(b);
      }
    }
    if (cases != null) {
      all.addAll(cases.byLabel().values());
      if (cases.otherwise() != null) {
        all.add(cases.otherwise());
      }
    }
    if (onFailure != null) {
      all.add(onFailure);
    }
    return all;
  }

  /** The title when given, else the id. */
  public String displayName() {
    return title != null ? title : id;
  }
}
