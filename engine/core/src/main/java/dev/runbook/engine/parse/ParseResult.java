package dev.runbook.engine.parse;

import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import java.util.List;
import java.util.Optional;

/**
 * What parsing a file gave: the runbook, when the file was structurally readable, and every problem
 * found. A runbook with problems is still returned so the validator can report more.
 *
 * @param notARunbook whether the file is YAML of another kind (an inventory, a list, a password
 *     file): a library skips it with a note instead of listing it as a broken runbook
 */
public record ParseResult(Runbook runbook, List<Problem> problems, boolean notARunbook) {

  public ParseResult {
    problems = List.copyOf(problems);
  }

  public ParseResult(Runbook runbook, List<Problem> problems) {
    this(runbook, problems, false);
  }

  public Optional<Runbook> maybeRunbook() {
    return Optional.ofNullable(runbook);
  }

  public boolean ok() {
    return runbook != null && problems.isEmpty();
  }
}
