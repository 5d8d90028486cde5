package dev.runbook.engine.parse;

import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import java.util.List;
import java.util.Optional;

/**
 * What parsing a file gave: the runbook, when the file was structurally readable, and every problem
 * found. A runbook with problems is still returned so the validator can report more.
 */
public record ParseResult(Runbook runbook, List<Problem> problems) {

  public ParseResult {
    problems = List.copyOf(problems);
  }

  public Optional<Runbook> maybeRunbook() {
    return Optional.ofNullable(runbook);
  }

  public boolean ok() {
    return runbook != null && problems.isEmpty();
  }
}
