package dev.runbook.importer;

import java.util.List;

/** What an import did, in the line {@code runbook import} prints at the end. */
public record ImportReport(int documents, int steps, int edges, int todos, int failed) {

  public static ImportReport of(List<ImportedRunbook> runbooks, int failed) {
    return new ImportReport(
        runbooks.size(),
        runbooks.stream().mapToInt(ImportedRunbook::steps).sum(),
        runbooks.stream().mapToInt(ImportedRunbook::edges).sum(),
        runbooks.stream().mapToInt(ImportedRunbook::todos).sum(),
        failed);
  }

  /** "40 documents, 612 steps, 231 edges, 57 things for a person to review". */
  public String line() {
    String line =
        count(documents, "document")
            + ", "
            + count(steps, "step")
            + ", "
            + count(edges, "edge")
            + ", "
            + count(todos, "thing")
            + " for a person to review";
    return failed == 0 ? line : line + "; " + count(failed, "document") + " not imported";
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
