package dev.runbook.engine.execute;

import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.model.Procedure;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a step list runs: the path prefix that names its steps in the trail, its procedure (null
 * for the main list), its bindings, and its own visit counts.
 */
final class Scope {

  private final String pathPrefix;
  private final Procedure procedure;
  private final Bindings bindings;
  private final Map<String, Integer> visits = new HashMap<>();

  Scope(String pathPrefix, Procedure procedure, Bindings bindings) {
    this.pathPrefix = pathPrefix;
    this.procedure = procedure;
    this.bindings = bindings;
  }

  Procedure procedure() {
    return procedure;
  }

  Bindings bindings() {
    return bindings;
  }

  boolean inProcedure() {
    return procedure != null;
  }

  /** Counts a visit of a step and returns its number (1 for the first). */
  int visit(String stepId) {
    return visits.merge(stepId, 1, Integer::sum);
  }

  /** The step's path in the trail for this visit: {@code call@1/inner@2}. */
  String path(String stepId, int visit) {
    return pathPrefix + stepId + "@" + visit;
  }

  /** The prefix for the steps of a procedure called from a step at {@code path}. */
  static String child(String path) {
    return path + "/";
  }
}
