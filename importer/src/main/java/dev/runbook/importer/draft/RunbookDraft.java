package dev.runbook.importer.draft;

import java.util.List;

/**
 * A runbook to write.
 *
 * @param notes comments for the top of the file
 */
public record RunbookDraft(
    String id,
    String title,
    String description,
    SourceDraft source,
    List<String> alarms,
    String severity,
    List<ParamDraft> params,
    List<TargetDraft> targets,
    List<ProcedureDraft> procedures,
    List<StepDraft> steps,
    List<String> notes) {

  public RunbookDraft {
    alarms = List.copyOf(alarms);
    params = List.copyOf(params);
    targets = List.copyOf(targets);
    procedures = List.copyOf(procedures);
    steps = List.copyOf(steps);
    notes = List.copyOf(notes);
  }

  /** Every {@code TODO(import)} in the runbook: a thing for a person to review. */
  public int todoCount() {
    int count = (int) notes.stream().filter(n -> n.startsWith(StepDraft.TODO)).count();
    for (StepDraft step : steps) {
      count += step.todos().size();
    }
    return count;
  }
}
