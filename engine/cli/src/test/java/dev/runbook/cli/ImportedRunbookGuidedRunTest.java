package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document imported, then run for real: its commands ({@code df -h /}, {@code ls -ld /tmp}) on a
 * real local shell, its questions answered from an answers file, to {@code resolved} and to {@code
 * escalated}; each trail then passes {@code runbook audit verify}.
 */
class ImportedRunbookGuidedRunTest {

  @TempDir Path tmp;
  private Path library;
  private Path state;

  @BeforeEach
  void importTheDocument() throws IOException {
    Path doc = tmp.resolve(ImportCommandTest.MARKDOWN);
    ImportCommandTest.copy(ImportCommandTest.MARKDOWN, doc);
    library = tmp.resolve("library");
    state = tmp.resolve("state");
    Cli imported = Cli.runRaw("import", doc.toString(), "-o", library.toString());
    assertThat(imported.exitCode()).as(imported.err()).isEqualTo(ExitCodes.OK);
  }

  private Cli run(String answers) throws IOException {
    Path file = Files.writeString(tmp.resolve("answers-" + answers.hashCode() + ".yaml"), answers);
    return CliRun.state(state)
        .runbooks(library)
        .run("SPOOL-DISK-FILLING-UP")
        .with("--answers-file", file.toString())
        .inProcess();
  }

  @Test
  void resolvedWhenTheDiskIsFullAndTheAlarmClearsAfterwards() throws IOException {
    // step 1: df -h / runs; "more than 90% full?" yes -> step 3: ls -ld /tmp runs; cleared? yes
    Cli cli = run("step-1-check: yes\nstep-3-cleared@1/cleared@1: yes\n");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out())
        .contains("df -h /")
        .contains("ls -ld /tmp")
        .contains("RESOLVED: No further action is required.");
    verifyTrail();
  }

  @Test
  void escalatedWhenTheAlarmStays() throws IOException {
    // "more than 90% full?" no -> step 2: cleared? no -> step 4: contact O&M personnel
    Cli cli = run("step-1-check: no\nstep-2@1/cleared@1: no\n");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(cli.out())
        .contains("ESCALATED: Contact O&M personnel and send them the output above.");
    assertThat(cli.out()).doesNotContain("ls -ld /tmp");
    verifyTrail();
  }

  private void verifyTrail() {
    Cli verify = CliRun.state(state).with("audit", "verify").inProcess();
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(ExitCodes.OK);
    Cli list = CliRun.state(state).with("audit", "list").inProcess();
    assertThat(list.out()).contains("SPOOL-DISK-FILLING-UP");
  }
}
