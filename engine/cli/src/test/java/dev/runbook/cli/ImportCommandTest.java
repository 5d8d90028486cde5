package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook import}: output, files, the report line, errors as one line and an exit code. */
class ImportCommandTest {

  @TempDir Path tmp;
  private Path docs;

  static final String CURRENT = "mrs_3.x__alm-99017_spool_disk_usage_exceeds_the_threshold.rst";
  static final String OLD = "versions_earlier_than_mrs_3.x__alm-99017_spool_disk_usage_is_high.rst";
  static final String MARKDOWN = "spool-disk-filling-up.md";

  @BeforeEach
  void documents() throws IOException {
    docs = tmp.resolve("docs");
    Files.createDirectories(docs);
    for (String name : new String[] {CURRENT, OLD, MARKDOWN}) {
      copy(name, docs.resolve(name));
    }
  }

  static void copy(String name, Path to) throws IOException {
    try (InputStream in = ImportCommandTest.class.getResourceAsStream("/import/" + name)) {
      Files.write(to, in.readAllBytes());
    }
  }

  @Test
  void oneDocumentToStandardOutputAndTheReportToStandardError() {
    Cli cli = Cli.runRaw("import", docs.resolve(CURRENT).toString());
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out())
        .startsWith("# Imported by 'runbook import' from " + CURRENT)
        .contains("runbook: ALM-99017\n");
    assertThat(cli.err())
        .isEqualTo("1 document, 12 steps, 7 edges, 2 things for a person to review\n");
  }

  @Test
  void aFolderToOneFilePerRunbookThatValidateAndAnswerToTheirAlarms() throws IOException {
    Path out = tmp.resolve("out");
    Cli cli = Cli.runRaw("import", docs.toString(), "-o", out.toString());
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).startsWith("3 documents, ");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("ALM-99017-pre3.yaml", "ALM-99017.yaml", "SPOOL-DISK-FILLING-UP.yaml");
    }
    Cli validate = Cli.runRaw("validate", out.toString());
    assertThat(validate.out()).isEqualTo("checked 3 runbook files: all valid\n");
    Cli show = Cli.runRaw("--runbooks", out.toString(), "show", "99017");
    assertThat(show.exitCode()).as(show.err()).isEqualTo(ExitCodes.OK);
    assertThat(show.out()).contains("ALM-99017").doesNotContain("ALM-99017-pre3");
    Cli old = Cli.runRaw("--runbooks", out.toString(), "show", "ALM-99017@pre-3.x");
    assertThat(old.out()).contains("ALM-99017-pre3");
    Cli dry =
        Cli.runRaw(
            "--runbooks", out.toString(), "run", "ALM-99017", "--dry-run", "-p", "HostName=node-1");
    assertThat(dry.exitCode()).as(dry.out() + dry.err()).isEqualTo(ExitCodes.OK);
    assertThat(dry.out()).contains("df -h | grep spool");
  }

  @Test
  void anExistingFileIsReplacedOnlyWithForce() throws IOException {
    Path out = tmp.resolve("out");
    assertThat(
            Cli.runRaw("import", docs.resolve(MARKDOWN).toString(), "-o", out.toString())
                .exitCode())
        .isZero();
    Cli again = Cli.runRaw("import", docs.resolve(MARKDOWN).toString(), "-o", out.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err())
        .isEqualTo(
            "runbook: "
                + out.resolve("SPOOL-DISK-FILLING-UP.yaml")
                + " exists; give --force to replace it\n");
    assertThat(
            Cli.runRaw("import", docs.resolve(MARKDOWN).toString(), "-o", out.toString(), "--force")
                .exitCode())
        .isZero();
  }

  @Test
  void badDocumentsAreOneLineEachAndTheOthersStillImport() throws IOException {
    Files.write(docs.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9});
    Files.writeString(docs.resolve("empty.md"), "\n");
    Cli cli = Cli.runRaw("import", docs.toString(), "-o", tmp.resolve("out").toString());
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err())
        .isEqualTo(
            "runbook: "
                + docs.resolve("empty.md")
                + ": the document is empty\n"
                + "runbook: "
                + docs.resolve("latin1.txt")
                + ": not UTF-8 text\n"
                + "3 documents, 26 steps, 14 edges, 3 things for a person to review; 2 documents not imported\n");
  }

  @Test
  void usageErrors() throws IOException {
    Cli missing = Cli.runRaw("import", tmp.resolve("nope.rst").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err())
        .isEqualTo("runbook: " + tmp.resolve("nope.rst") + ": no such file or directory\n");
    Cli edition = Cli.runRaw("import", "--edition", "2.x", docs.toString());
    assertThat(edition.err()).isEqualTo("runbook: --edition 2.x: give 3.x or pre-3.x\n");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Cli none = Cli.runRaw("import", empty.toString());
    assertThat(none.err())
        .isEqualTo("runbook: no documents (.rst, .md, .txt) in [" + empty + "]\n");
    Cli nothing = Cli.runRaw("import");
    assertThat(nothing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(nothing.err()).doesNotContain("Exception");
  }

  @Test
  void twoDocumentsThatGiveOneRunbookAreNotBothWritten() throws IOException {
    Path out = tmp.resolve("out");
    Cli cli =
        Cli.runRaw(
            "import",
            docs.resolve(CURRENT).toString(),
            docs.resolve(OLD).toString(),
            "--edition",
            "3.x",
            "-o",
            out.toString());
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err())
        .contains(
            "runbook: "
                + docs.resolve(OLD)
                + ": gives runbook ALM-99017, as "
                + docs.resolve(CURRENT)
                + " does; not written (import them separately, or give one --edition)");
    assertThat(Files.readString(out.resolve("ALM-99017.yaml"), StandardCharsets.UTF_8))
        .contains(CURRENT);
  }

  @Test
  void helpSaysWhatItDoes() {
    String help = HelpTexts.forArguments(new String[] {"import", "--help"}, false).orElseThrow();
    assertThat(help)
        .startsWith("Usage: runbook import")
        .contains(
            "DOC...",
            "--output-dir=DIR",
            "--edition=3.x|pre-3.x",
            "TODO(import)",
            "ALM-12042-pre3",
            "docs/import.md");
  }
}
