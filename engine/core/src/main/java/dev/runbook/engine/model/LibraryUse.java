package dev.runbook.engine.model;

import java.util.Objects;

/**
 * A library a runbook names in {@code uses:}, and, once the runbook is linked, the file that
 * answered: a run records it, so that a resumed run uses the same bytes.
 *
 * @param library the library's name as written
 * @param position where it is written
 * @param file the library file linked, or null before linking (or when none answered)
 * @param contentHash SHA-256 of that file's bytes, or null with it
 */
public record LibraryUse(String library, Position position, String file, String contentHash) {

  public LibraryUse {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(position, "position");
  }

  public LibraryUse(String library, Position position) {
    this(library, position, null, null);
  }

  public boolean linked() {
    return file != null;
  }
}
