package dev.runbook.engine.parse;

import dev.runbook.engine.model.Library;
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
 * @param library the library the file holds ({@code library:} at its top level), when it is a
 *     library file rather than a runbook (then {@code runbook} is null)
 */
public record ParseResult(
    Runbook runbook, List<Problem> problems, boolean notARunbook, Library library) {

  public ParseResult {
    problems = List.copyOf(problems);
  }

  public ParseResult(Runbook runbook, List<Problem> problems, boolean notARunbook) {
    this(runbook, problems, notARunbook, null);
  }

  public ParseResult(Runbook runbook, List<Problem> problems) {
    this(runbook, problems, false);
  }

  /** What a library file gave: the library (null when unreadable) and its problems. */
  public static ParseResult ofLibrary(Library library, List<Problem> problems) {
    return new ParseResult(null, problems, false, library);
  }

  /** Whether the file is a library file (readable or not), not a runbook. */
  public boolean isLibrary() {
    return library != null;
  }

  /** The runbook id or library name the file declares, for messages; null for neither. */
  public String name() {
    return runbook != null ? runbook.id() : library != null ? library.id() : null;
  }

  public Optional<Runbook> maybeRunbook() {
    return Optional.ofNullable(runbook);
  }

  public boolean ok() {
    return runbook != null && problems.isEmpty();
  }
}
