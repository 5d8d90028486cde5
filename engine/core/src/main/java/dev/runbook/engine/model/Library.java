package dev.runbook.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A library file: procedures that runbooks share ("check whether the alarm is cleared N minutes
 * later", "collect fault information"), written once. A runbook names the libraries it uses ({@code
 * uses: [mrs-common]}) and calls their procedures as {@code LIBRARY.PROCEDURE}.
 *
 * @param id the library's name ({@code library: mrs-common})
 * @param title one line, or null
 * @param description longer text, or null
 * @param procedures the procedures, by the names the library gives them
 * @param file the file it was read from, as the user named it
 * @param contentHash SHA-256 of the file's bytes, hex
 * @param position where its name is written
 */
public record Library(
    String id,
    String title,
    String description,
    Map<String, Procedure> procedures,
    String file,
    String contentHash,
    Position position) {

  public Library {
    Objects.requireNonNull(id, "id");
    procedures = Collections.unmodifiableMap(new LinkedHashMap<>(procedures));
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(contentHash, "contentHash");
  }

  /** The name a runbook calls a procedure of this library by: {@code mrs-common.wait-cleared}. */
  public String qualified(String procedure) {
    return id + "." + procedure;
  }

  /**
   * The procedures under the names runbooks call them by, each call between them qualified too: a
   * runbook that uses the library sees one namespace with its own procedures.
   */
  public Map<String, Procedure> qualifiedProcedures() {
    Map<String, Procedure> out = new LinkedHashMap<>();
    for (Procedure p : procedures.values()) {
      List<Step> steps = new ArrayList<>();
      for (Step step : p.steps()) {
        steps.add(qualifyCall(step));
      }
      out.put(
          qualified(p.name()),
          new Procedure(qualified(p.name()), p.doc(), p.inputs(), steps, p.position()));
    }
    return out;
  }

  private Step qualifyCall(Step step) {
    StepKind kind = step.kind();
    if (kind instanceof StepKind.Call call && procedures.containsKey(call.procedure())) {
      kind = new StepKind.Call(qualified(call.procedure()), call.procedurePosition(), call.with());
    } else if (kind instanceof StepKind.Foreach each && procedures.containsKey(each.procedure())) {
      kind =
          new StepKind.Foreach(
              each.items(),
              each.as(),
              each.parallel(),
              qualified(each.procedure()),
              each.procedurePosition(),
              each.with());
    } else {
      return step;
    }
    return new Step(
        step.id(),
        step.position(),
        step.title(),
        step.ref(),
        step.doc(),
        step.on(),
        kind,
        step.next(),
        step.yes(),
        step.no(),
        step.onFailure(),
        step.cases(),
        step.maxVisits(),
        step.fields());
  }
}
