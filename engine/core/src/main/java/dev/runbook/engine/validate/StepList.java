package dev.runbook.engine.validate;

import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Step;
import java.util.List;

/** A list of steps with its scope: the main list ({@code procedure} null) or a procedure's. */
record StepList(List<Step> steps, Procedure procedure) {

  String describe() {
    return procedure == null ? "the main steps" : "procedure '" + procedure.name() + "'";
  }

  boolean inProcedure() {
    return procedure != null;
  }
}
