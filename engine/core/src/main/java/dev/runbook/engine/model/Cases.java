package dev.runbook.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The branches of a multi-way step ({@code switch:}, or an {@code ask:} a person answers with one
 * of a few words): "ntp: go to 5; chrony: go to 8; both: go to 11", and where every other value
 * goes.
 *
 * @param byLabel each case's label and branch, in the order written
 * @param otherwise where a value that is no case goes ({@code default:}), or null when not written
 *     (reported: validation requires it)
 * @param position where {@code cases:} is written
 */
public record Cases(Map<String, Branch> byLabel, Branch otherwise, Position position) {

  /**
   * The word that picks {@code default}: a person answers it, {@code --assume STEP=other} follows
   * it, and a switch's value that is no case goes there too. No case may be called that.
   */
  public static final String OTHER = "other";

  public Cases {
    byLabel = Collections.unmodifiableMap(new LinkedHashMap<>(byLabel));
    Objects.requireNonNull(position, "position");
  }

  /** Where a value goes: its case, or {@code default} when it is none of them. */
  public Branch select(String label) {
    Branch branch = label == null ? null : byLabel.get(label);
    return branch != null ? branch : otherwise;
  }

  /** Whether the value is one of the cases (else it takes {@code default}). */
  public boolean matches(String label) {
    return label != null && byLabel.containsKey(label);
  }

  /** The case labels, then {@link #OTHER}: what a person may answer. */
  public List<String> answers() {
    List<String> answers = new ArrayList<>(byLabel.keySet());
    answers.add(OTHER);
    return List.copyOf(answers);
  }
}
