package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every runbook of the library names the vendor's document it encodes, as {@code runbook show} and
 * every plan print it: the document's own title, not the file our corpus keeps a copy in.
 */
class LibrarySourcesTest {

  private static final Pattern ID = Pattern.compile("(?m)^runbook: (\\S+)$");

  private static List<String> ids() throws IOException {
    try (Stream<Path> files = Files.walk(Cli.LIBRARY)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !isLibraryFile(f))
          .map(LibrarySourcesTest::id)
          .sorted()
          .toList();
    }
  }

  /** A library file (shared procedures) is no runbook: it has no id and no document of its own. */
  private static boolean isLibraryFile(Path file) {
    try {
      return Files.readString(file).lines().anyMatch(l -> l.startsWith("library: "));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String id(Path file) {
    try {
      Matcher matcher = ID.matcher(Files.readString(file));
      assertThat(matcher.find()).as(file + " has a runbook id").isTrue();
      return matcher.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyRunbookShowsItsVendorDocumentAndNoCorpusFile() throws IOException {
    List<String> ids = ids();
    assertThat(ids)
        .contains("OCP-CERT-RECOVERY", "ALM-12110", "FLINK-HA-K8S")
        .hasSizeGreaterThan(10);
    for (String id : ids) {
      Cli show = Cli.run("show", id);
      assertThat(show.exitCode()).as(id + ": " + show.err()).isZero();
      String source =
          show.out()
              .lines()
              .filter(line -> line.startsWith("source "))
              .findFirst()
              .orElseThrow(() -> new AssertionError(id + " shows no source"));
      assertThat(source)
          .as(id)
          .doesNotContainIgnoringCase("corpus")
          .doesNotContain(".txt", ".rst", ".md");
    }
  }
}
