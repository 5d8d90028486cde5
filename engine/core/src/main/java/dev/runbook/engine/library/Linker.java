package dev.runbook.engine.library;

import dev.runbook.engine.model.Library;
import dev.runbook.engine.model.LibraryUse;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Links a runbook to the libraries it uses: each name in {@code uses:} must be answered by exactly
 * one library file; the runbook then calls that library's procedures by their qualified names and
 * records which file (and which bytes) answered.
 */
public final class Linker {

  /** Where libraries are found by name. */
  public interface Libraries {
    /** Every library answering to {@code name}: more than one is a conflict. */
    List<Library> find(String name);

    /** Every library name known, for "did you mean". */
    Set<String> names();

    /** No library at all. */
    Libraries NONE =
        new Libraries() {
          @Override
          public List<Library> find(String name) {
            return List.of();
          }

          @Override
          public Set<String> names() {
            return Set.of();
          }
        };
  }

  /** The linked runbook, and why a use could not be linked. */
  public record Linked(Runbook runbook, List<Problem> problems) {
    public Linked {
      problems = List.copyOf(problems);
    }
  }

  private Linker() {}

  public static Linked link(Runbook runbook, Libraries libraries) {
    if (runbook.uses().isEmpty()) {
      return new Linked(runbook, List.of());
    }
    List<Problem> problems = new ArrayList<>();
    List<LibraryUse> uses = new ArrayList<>();
    Map<String, Procedure> shared = new LinkedHashMap<>();
    for (LibraryUse use : runbook.uses()) {
      List<Library> found = libraries.find(use.library());
      if (found.size() == 1) {
        Library library = found.get(0);
        uses.add(
            new LibraryUse(use.library(), use.position(), library.file(), library.contentHash()));
        shared.putAll(library.qualifiedProcedures());
        continue;
      }
      uses.add(new LibraryUse(use.library(), use.position()));
      problems.add(
          new Problem(
              use.position(),
              found.isEmpty()
                  ? "uses: no library '"
                      + use.library()
                      + "'"
                      + Suggestions.hint(use.library(), libraries.names())
                      + "; a library file says 'library: "
                      + use.library()
                      + "' at its top level, beside the runbooks or in their directory"
                  : "uses: library '"
                      + use.library()
                      + "' is claimed by more than one file: "
                      + String.join(" and ", found.stream().map(Library::file).toList())
                      + "; a library name must select one file"));
    }
    return new Linked(runbook.linked(uses, shared), problems);
  }
}
