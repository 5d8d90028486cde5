package dev.runbook.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * A declared parameter of a runbook, or an input of a procedure.
 *
 * @param name identifier used as {@code params.NAME} or {@code inputs.NAME}
 * @param type value type
 * @param required whether a value must be given
 * @param defaultValue the value when none is given, or null
 * @param secret whether the value must never be shown
 * @param doc one sentence, or null
 * @param values allowed values of an {@code enum}
 * @param pattern a regular expression the whole value must match, or null
 * @param position where it is declared
 * @param defaultPosition where its default value is written, or null when it has none
 * @param allowLeadingDash whether a value may start with {@code -} where it begins a word of a
 *     command (where it would be an option); false unless declared {@code allow_leading_dash: true}
 */
public record ParamSpec(
    String name,
    ParamType type,
    boolean required,
    String defaultValue,
    boolean secret,
    String doc,
    List<String> values,
    String pattern,
    Position position,
    Position defaultPosition,
    boolean allowLeadingDash) {

  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    values = List.copyOf(values);
    Objects.requireNonNull(position, "position");
  }

  /** A spec without {@code allow_leading_dash}. */
  public ParamSpec(
      String name,
      ParamType type,
      boolean required,
      String defaultValue,
      boolean secret,
      String doc,
      List<String> values,
      String pattern,
      Position position,
      Position defaultPosition) {
    this(
        name,
        type,
        required,
        defaultValue,
        secret,
        doc,
        values,
        pattern,
        position,
        defaultPosition,
        false);
  }
}
