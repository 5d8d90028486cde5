package dev.runbook.engine.expr;

import dev.cel.runtime.CelRuntime;
import dev.runbook.engine.model.Condition;
import java.util.Set;

/**
 * A condition that compiled and type-checked, ready to evaluate any number of times.
 *
 * @param condition the condition as written
 * @param program the CEL program
 * @param variables the top-level names it reads, for the audit trail's "values it saw"
 */
public record CompiledCondition(
    Condition condition, CelRuntime.Program program, Set<String> variables) {}
