package dev.runbook.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files and folders: what is read, and one clear sentence for what is not. */
class ImporterTest {

  @TempDir Path dir;

  @Test
  void aFolderMeansEveryDocumentInItInNameOrder() throws Exception {
    Files.writeString(dir.resolve("b.md"), "# B\n\n1. Run `df -h`.\n");
    Files.writeString(dir.resolve("a.rst"), "A\n=\n\n#. Do it.\n");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/c.txt"), "C\n\n  1. Do it.\n");
    Files.writeString(dir.resolve("image.png"), "not a document");
    assertThat(Importer.documents(List.of(dir)))
        .containsExactly(dir.resolve("a.rst"), dir.resolve("b.md"), dir.resolve("sub/c.txt"));
  }

  @Test
  void unreadableAndUnknownDocumentsSayWhy() throws IOException {
    Importer importer = new Importer(null);
    assertThatThrownBy(() -> Importer.documents(List.of(dir.resolve("missing.rst"))))
        .isInstanceOf(ImportException.class)
        .hasMessage(dir.resolve("missing.rst") + ": no such file or directory");
    Path doc = Files.writeString(dir.resolve("x.docx"), "binary");
    assertThatThrownBy(() -> importer.importFile(doc))
        .hasMessage(
            doc
                + ": not a document this reads (give .rst for reStructuredText, .md for Markdown or .txt for plain text)");
    Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9});
    assertThatThrownBy(() -> importer.importFile(latin1)).hasMessage(latin1 + ": not UTF-8 text");
    Path empty = Files.writeString(dir.resolve("empty.md"), "  \n");
    assertThatThrownBy(() -> importer.importFile(empty))
        .hasMessage(empty + ": the document is empty");
  }

  @Test
  void theReportLineCountsEverything() {
    var report =
        ImportReport.of(
            List.of(
                new ImportedRunbook(Path.of("a.rst"), "A", "", 10, 4, 1),
                new ImportedRunbook(Path.of("b.rst"), "B", "", 5, 1, 0)),
            1);
    assertThat(report.line())
        .isEqualTo(
            "2 documents, 15 steps, 5 edges, 1 thing for a person to review; 1 document not imported");
  }
}
