package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capture:} through the real CLI and the real {@code /bin/sh}: a captured value is checked
 * by its type before anything runs, reaches the shell as data (never as code), is recorded with its
 * note in the trail, and a dry run shows where it would go.
 */
class CapturedValueRunTest {

  private static final String RUNBOOK =
      """
      runbook: CAPTURE-DEMO
      title: A value learnt mid-procedure
      params:
        Out: {type: path, required: true}
      steps:
        - id: find-host
          ref: "2"
          ask: Which host does the alarm's Location name?
          capture: {name: AlarmHost, type: host}
        - id: label
          ref: "3"
          manual: Read the label of the host's rack and type it in.
          capture: {name: Label, type: string}
        - id: write
          ref: "4"
          shell: printf '%s|%s\\n' ${captured.AlarmHost} "${captured.Label}" > ${params.Out}
          changes: true
      """;

  @TempDir Path tmp;
  private TempLibrary library;
  private Path out;

  @BeforeEach
  void library() {
    library = new TempLibrary(tmp);
    library.write("capture-demo.yaml", RUNBOOK);
    out = tmp.resolve("out.txt");
  }

  @Test
  void aCapturedValueReachesTheShellAsDataAndIsRecordedWithItsNote() throws IOException {
    Cli cli =
        library.cli(
            "run",
            "CAPTURE-DEMO",
            "-p",
            "Out=" + out,
            "--answer",
            "find-host=127.0.0.1",
            "--note",
            "find-host=from the alarm's Location",
            "--answer",
            "label=$(touch pwned); `touch pwned2` rack 7");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(out))
        .isEqualTo("127.0.0.1|$(touch pwned); `touch pwned2` rack 7\n");
    assertThat(tmp.resolve("pwned")).doesNotExist();
    assertThat(Path.of("pwned")).doesNotExist();
    assertThat(Path.of("pwned2")).doesNotExist();
    assertThat(library.events(AuditEvent.Answered.class))
        .extracting(AuditEvent.Answered::answer, AuditEvent.Answered::note)
        .containsExactly(
            Tuple.tuple("127.0.0.1", "from the alarm's Location"),
            Tuple.tuple("$(touch pwned); `touch pwned2` rack 7", null));
    assertThat(library.events(AuditEvent.CommandRendered.class).get(0).command())
        .isEqualTo(
            "printf '%s|%s\\n' \"${RB_CAPTURED_AlarmHost}\" \"${RB_CAPTURED_Label}\" >"
                + " \"${RB_PARAM_Out}\"");
  }

  @Test
  void aHostThatIsNotAHostRefusesTheRunBeforeAnythingRuns() {
    Cli cli =
        library.cli(
            "run",
            "CAPTURE-DEMO",
            "-p",
            "Out=" + out,
            "--answer",
            "find-host=x; touch " + tmp.resolve("pwned"),
            "--answer",
            "label=r7");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err())
        .contains(
            "--answer find-host: step 'find-host' captures AlarmHost (host): 'x; touch "
                + tmp.resolve("pwned")
                + "' is not a host name or address")
        .doesNotContain("Exception");
    assertThat(library.runs()).isEmpty();
    assertThat(out).doesNotExist();
    assertThat(tmp.resolve("pwned")).doesNotExist();
  }

  @Test
  void withoutAnAnswerTheRunPausesSayingWhatTheAnswerMustBe() {
    Cli cli = library.cli("run", "CAPTURE-DEMO", "-p", "Out=" + out);
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.PAUSED);
    assertThat(cli.err()).contains("--answer find-host=").contains("ANSWER: a host");
    Cli resumed =
        library.cli(
            "resume",
            library.lastRun().runId(),
            "--answer",
            "find-host=localhost",
            "--answer",
            "label=r7");
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void aDryRunShowsWhichStepCapturesTheValue() {
    Cli cli = library.cli("run", "CAPTURE-DEMO", "--dry-run", "-p", "Out=" + out);
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out())
        .contains("captures AlarmHost (host), for ${captured.AlarmHost}")
        .contains("RB_CAPTURED_AlarmHost=<captured by find-host>")
        .contains("RB_CAPTURED_Label=<captured by label>");
  }
}
