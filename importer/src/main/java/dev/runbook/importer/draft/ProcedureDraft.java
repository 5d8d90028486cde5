package dev.runbook.importer.draft;

import java.util.List;

/** A procedure inside the runbook. */
public record ProcedureDraft(
    String name, String doc, List<ParamDraft> inputs, List<StepDraft> steps) {

  public ProcedureDraft {
    inputs = List.copyOf(inputs);
    steps = List.copyOf(steps);
  }
}
