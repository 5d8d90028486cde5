package dev.runbook.engine.expr;

import dev.runbook.engine.model.ParamType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The names a condition may use, and their types: the runbook's parameters, whether the step sits
 * in a procedure (so {@code inputs} exists), and whether it has an action result.
 *
 * @param params parameter types by name
 * @param inProcedure whether {@code inputs} is in scope
 * @param hasResult whether {@code result} is in scope (conditions on action steps)
 * @param captured the types of the values steps capture, by name ({@code captured.NAME})
 */
public record ExpressionScope(
    Map<String, ParamType> params,
    boolean inProcedure,
    boolean hasResult,
    Map<String, ParamType> captured) {

  public ExpressionScope {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(params)));
    captured = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(captured)));
  }

  /** A scope where no step captures anything. */
  public ExpressionScope(Map<String, ParamType> params, boolean inProcedure, boolean hasResult) {
    this(params, inProcedure, hasResult, Map.of());
  }
}
