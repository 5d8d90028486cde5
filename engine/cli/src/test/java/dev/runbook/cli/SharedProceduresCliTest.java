package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped MRS library (runbooks/mrs/mrs-alarms.yaml) and ALM-12110, which calls its
 * wait-then-check-cleared twice, through every command an operator uses: validate, list, a dry run,
 * graph, a run that pauses inside the library procedure, and a resume that refuses a changed
 * library and goes on with the one the run started with.
 */
class SharedProceduresCliTest {

  @TempDir Path tmp;
  private Path books;
  private Path state;

  @BeforeEach
  void copyTheShippedFiles() throws IOException {
    books = Files.createDirectories(tmp.resolve("runbooks"));
    state = tmp.resolve("state");
    for (String name : List.of("ALM-12110.yaml", "mrs-alarms.yaml")) {
      Files.copy(Cli.LIBRARY.resolve("mrs").resolve(name), books.resolve(name));
    }
  }

  private Cli cli(String... args) {
    List<String> all =
        new ArrayList<>(List.of("--runbooks", books.toString(), "--state-dir", state.toString()));
    all.addAll(List.of(args));
    return Cli.runRaw(all.toArray(String[]::new));
  }

  @Test
  void validateCountsTheLibraryFileApartShowNamesItAndListShowsOnlyTheRunbook() {
    Cli validate = Cli.runRaw("validate", books.toString());
    assertThat(validate.exitCode()).as(validate.err()).isZero();
    assertThat(validate.out()).isEqualTo("checked 1 runbook file and 1 library file: all valid\n");
    Cli alone = Cli.runRaw("validate", books.resolve("mrs-alarms.yaml").toString());
    assertThat(alone.out()).isEqualTo("checked 1 library file: all valid\n");
    Cli show = cli("show", "ALM-12110");
    assertThat(show.out())
        .contains(
            "  mrs-alarms ("
                + books.resolve("mrs-alarms.yaml")
                + "): calls mrs-alarms.wait-then-check-cleared");
    Cli list = cli("list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("ALM-12110").doesNotContain("mrs-alarms");
  }

  @Test
  void aDryRunAndTheGraphShowTheLibraryProceduresSteps() {
    Cli dry = cli("run", "ALM-12110", "--dry-run");
    assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
    assertThat(dry.out())
        .contains("runs mrs-alarms.wait-then-check-cleared (alarm=ALM-12110, wait=5m)")
        .contains("│ alarm-cleared  (question)  Is the alarm cleared on MRS Manager?");
    Cli graph = cli("graph", "ALM-12110");
    assertThat(graph.exitCode()).as(graph.err()).isZero();
    assertThat(graph.out())
        .contains("subgraph proc__mrs_alarms_wait_then_check_cleared")
        .contains("call mrs-alarms.wait-then-check-cleared");
  }

  @Test
  void aResumeRefusesAChangedLibraryAndGoesOnWithTheOneTheRunStartedWith() throws IOException {
    Cli run =
        cli(
            "run",
            "ALM-12110",
            "-p",
            "ClearWait=0s",
            "--answer",
            "find-alarm-host=yes",
            "--answer",
            "meta-role-normal=no",
            "--answer",
            "restart-meta-role=yes");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.PAUSED);
    assertThat(run.out()).contains("PAUSED at cleared-after-restart@1/alarm-cleared@1");
    Matcher id = Pattern.compile("^RUN (\\S+) ").matcher(run.out());
    assertThat(id.find()).as(run.out()).isTrue();

    Path library = books.resolve("mrs-alarms.yaml");
    String original = Files.readString(library);
    Files.writeString(library, original.replace("on MRS Manager", "on Manager"));
    Cli refused = cli("resume", id.group(1), "--answer", "alarm-cleared=yes");
    assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err())
        .contains("library mrs-alarms (" + library.toAbsolutePath().normalize())
        .contains("is gone or changed since the run started")
        .doesNotContain("Exception");

    Files.writeString(library, original);
    Cli resumed = cli("resume", id.group(1), "--answer", "alarm-cleared=yes");
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
    assertThat(resumed.out()).contains("RESOLVED: No further action is required.");
  }
}
