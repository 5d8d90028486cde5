package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.engine.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects an operator would hit in the first week (issue 11, part A), each against the real CLI
 * and real /bin/sh: answers and notes, conflicting runbooks, forgotten --dry-run, typed procedure
 * inputs, optional parameters, resuming, -p taken verbatim, secret output. What the engine does
 * with them (placeholders refused, bounded human loops, answers on resume, retrying a failed step)
 * is tested in-process on events: engine/testkit's {@code dev.runbook.engine.semantics}.
 */
class OperatorSafetyTest {

  @TempDir Path tmp;
  private TempLibrary lib;
  private Path marker;

  @BeforeEach
  void setUp() {
    lib = new TempLibrary(tmp);
    marker = tmp.resolve("ran");
  }

  @Test
  void aPausedRunSaysHowToResumeItAndTheNoteOfAnAnswerIsRecorded() {
    lib.write(
        "confirm.yaml",
        """
        runbook: CONFIRM
        title: A manual step
        steps:
          - id: swap-disk
            manual: Replace the failed disk.
          - {id: done, end: resolved}
        """);
    Cli first = lib.cli("run", "CONFIRM", "--answer", "swap-disk=no");
    assertThat(first.exitCode()).isEqualTo(ExitCodes.PAUSED);
    String runId = lib.lastRun().runId();
    assertThat(first.err()).contains("runbook resume " + runId + " --answer swap-disk=yes");

    Cli resumed =
        lib.cli("resume", runId, "--answer", "swap-disk=yes", "--note", "swap-disk=disk 3 swapped");
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.OK);
    assertThat(lib.events(AuditEvent.Answered.class))
        .extracting(AuditEvent.Answered::via, AuditEvent.Answered::note)
        .endsWith(Tuple.tuple("--answer", "disk 3 swapped"));
  }

  @Test
  void twoRunbooksClaimingOneAlarmAreRefusedNamingBoth() {
    String body = "title: t\nalarms: [ALM-1]\nsteps:\n  - {id: a, shell: touch %s}\n";
    lib.write("a.yaml", "runbook: A\n" + body.formatted(marker));
    lib.write("b.yaml", "runbook: B\n" + body.formatted(marker));
    Cli cli = lib.cli("run", "ALM-1");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    assertThat(cli.err()).contains("a.yaml").contains("b.yaml").contains("more than one runbook");
    assertThat(marker).doesNotExist();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a server that started anyway would never return
  void serveRefusesToStartWhenTwoRunbooksClaimOneAlarmNamingBoth() {
    String body = "title: t\nalarms: [ALM-1]\nsteps:\n  - {id: a, shell: touch %s}\n";
    lib.write("a.yaml", "runbook: A\n" + body.formatted(marker));
    lib.write("b.yaml", "runbook: B\n" + body.formatted(marker));
    Cli cli = lib.cli("serve", "--listen", "127.0.0.1:0");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    assertThat(cli.err())
        .contains("is claimed by both")
        .contains("a.yaml")
        .contains("b.yaml")
        .contains("runbook serve will not start");
    assertThat(marker).doesNotExist();
  }

  @Test
  void assumeWithoutDryRunIsRefusedBeforeAnythingRuns() {
    lib.write("r.yaml", "runbook: R\ntitle: t\nsteps:\n  - {id: a, shell: touch " + marker + "}\n");
    Cli cli = lib.cli("run", "R", "--assume", "a=no");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("--assume only means something with --dry-run");
    assertThat(marker).doesNotExist();
    assertThat(lib.runs()).isEmpty();
  }

  @Test
  void outputJsonOnARealRunStreamsTheTrailsOwnLines() throws Exception {
    lib.write("r.yaml", "runbook: R\ntitle: t\nsteps:\n  - {id: a, shell: echo hi}\n");
    Cli cli = lib.cli("run", "R", "--output", "json");
    assertThat(cli.exitCode()).isZero();
    List<String> lines = cli.out().lines().toList();
    List<String> trail = Files.readAllLines(lib.lastRun().events());
    assertThat(lines).isEqualTo(trail);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("type").asText()).isEqualTo("run.started");
    assertThat(first.get("seq").asLong()).isEqualTo(1);
  }

  @Test
  void aProcedureInputOfTheWrongTypeIsCaughtByValidate() {
    lib.write(
        "literal.yaml",
        """
        runbook: LITERAL
        title: t
        procedures:
          p:
            inputs: {n: {type: int}}
            steps: [{id: s, shell: "echo ${inputs.n}"}]
        steps:
          - {id: c, call: p, with: {n: abc}}
        """);
    Cli invalid = lib.cli("validate", lib.runbooks.resolve("literal.yaml").toString());
    assertThat(invalid.exitCode()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    assertThat(invalid.err()).contains("literal.yaml:8:").contains("must be a whole number");
  }

  @Test
  void hasTellsWhetherAnOptionalParameterWasGiven() {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Standby: {type: host}
          Hosts: {type: hosts}
        procedures:
          touch-it:
            inputs: {h: {type: host}}
            steps: [{id: t, shell: "touch %s-${inputs.h}"}]
        steps:
          - id: standby-given
            if: has(params.Standby) && params.Standby != ""
            yes: {end: escalated}
            no: each
          - {id: each, foreach: "${params.Hosts}", as: h, call: touch-it, with: {h: "${h}"}}
          - {id: naive, if: 'params.Standby != ""', yes: {end: escalated}, no: {end: resolved}}
        """
            .formatted(marker));
    assertThat(lib.cli("validate", lib.runbooks.toString()).exitCode()).isZero();
    Cli cli = lib.cli("run", "R", "-p", "Hosts=");
    assertThat(cli.out()).contains("no items: the procedure runs zero times");
    assertThat(lib.events(AuditEvent.Decision.class).get(0).value()).isFalse();
    // The naive form says what is wrong in words, not with CEL's internals.
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out())
        .contains("reads params.Standby, which has no value")
        .contains("has(params.Standby)")
        .doesNotContain("CelUnknownSet");
    Cli misspelt = lib.cli("run", "R", "--dry-run");
    assertThat(misspelt.exitCode()).isZero();
  }

  @Test
  void hasOfAMisspeltParameterIsCaughtByValidate() {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Standby: {type: host}
        steps:
          - {id: d, if: has(params.Stanby), yes: {end: resolved}, no: {end: resolved}}
        """);
    Cli cli = lib.cli("validate", lib.runbooks.toString());
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    assertThat(cli.err()).contains("unknown parameter 'Stanby' (did you mean 'Standby'?)");
  }

  @Test
  void misspeltStepNamesInAnswersAreRefused() throws Exception {
    lib.write(
        "r.yaml",
        "runbook: R\ntitle: t\nsteps:\n  - {id: periodic-check, ask: Again?, yes: {end: escalated},"
            + " no: {end: resolved}}\n");
    Cli flag = lib.cli("run", "R", "--answer", "periodic-chek=no");
    assertThat(flag.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(flag.err()).contains("has no step 'periodic-chek' (did you mean 'periodic-check'?)");
    Path answers = Files.writeString(tmp.resolve("answers.yaml"), "periodic-chek: no\n");
    Cli file = lib.cli("run", "R", "--answers-file", answers.toString());
    assertThat(file.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(file.err()).contains("did you mean 'periodic-check'?");
    assertThat(lib.runs()).isEmpty();
  }

  @Test
  void resumeFindsTheRunbookTheRunStartedFromAndNamesTheSecretsItNeeds() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R-RESUME
        title: t
        params:
          Token: {type: string, secret: true, required: true}
        steps:
          - {id: confirm, manual: Check it.}
          - {id: use, shell: 'test -n "${params.Token}"'}
        """);
    Path token = Files.writeString(tmp.resolve("token"), "abcdef123456");
    Cli first = lib.cli("run", "R-RESUME", "-p", "Token=@" + token);
    assertThat(first.exitCode()).isEqualTo(ExitCodes.PAUSED);
    String runId = lib.lastRun().runId();
    assertThat(first.err()).contains("-p Token=@FILE").contains("RUNBOOK_SECRET_TOKEN");
    Cli resumed =
        lib.cliWithoutLibrary("resume", runId, "--answer", "confirm=yes", "-p", "Token=@" + token);
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
  }

  @Test
  void aRunThatFailedForLackOfAValueSaysHowToRetryItAndRetryFailedIsNeeded() {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Host: {type: host}
        steps:
          - {id: first, shell: "echo once >> %s"}
          - {id: use, shell: "echo ${params.Host} >> %s"}
        """
            .formatted(marker, marker));
    Cli failed = lib.cli("run", "R");
    assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILED);
    String runId = lib.lastRun().runId();
    assertThat(failed.err()).contains("runbook resume " + runId + " --retry-failed -p NAME=VALUE");
    Cli refused = lib.cli("resume", runId, "-p", "Host=node-7");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("--retry-failed");
    Cli retried = lib.cli("resume", runId, "--retry-failed", "-p", "Host=node-7");
    assertThat(retried.exitCode()).as(retried.out() + retried.err()).isZero();
    assertThat(marker).content().isEqualTo("once\nnode-7\n");
    Cli verified = lib.cli("audit", "verify", runId);
    assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
  }

  @Test
  void aParameterValueIsTakenVerbatim() {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          V: {type: string}
        steps:
          - {id: a, shell: 'printf "%%s" "${params.V}" > %s'}
        """
            .formatted(marker));
    Cli at = lib.cli("run", "R", "-p", "V=@abc");
    assertThat(at.exitCode()).as(at.err()).isZero();
    assertThat(marker).content().isEqualTo("@abc");
    Cli quote = lib.cli("run", "R", "-p", "V=a\"b 'c");
    assertThat(quote.exitCode()).as(quote.err()).isZero();
    assertThat(quote.err()).doesNotContain("Unbalanced").doesNotContain("quotes");
    assertThat(marker).content().isEqualTo("a\"b 'c");
  }

  @Test
  void aStepsSecretOutputIsMaskedEverywhereButConditionsStillReadIt() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        steps:
          - id: keys
            shell: printf 'key 1 MD5 n0t-%s\\n' for-your-eyes
            secret_output: true
            if: result.stdout.contains('your-eyes')
            yes: {end: resolved}
            no: {end: failed}
        """);
    Cli cli = lib.cli("run", "R");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).doesNotContain("n0t-for-your-eyes");
    try (var files = Files.walk(lib.state)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("n0t-for-your-eyes");
      }
    }
  }

  @Test
  void nonRunbookYamlBesideTheRunbooksIsSkippedWithANote() {
    lib.write("inventory.yaml", "hosts:\n  node-1: {address: 10.0.0.1}\n");
    lib.write("r.yaml", "runbook: R\ntitle: t\nsteps:\n  - {id: a, shell: 'true'}\n");
    Cli validate = lib.cli("validate");
    assertThat(validate.exitCode()).isZero();
    assertThat(validate.err()).contains("inventory.yaml: skipped, not a runbook");
  }

  @Test
  void helpAndCompletionSayWhatTheyShould() {
    Cli help = Cli.runRaw("help", "run");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out() + help.err()).doesNotContain("Missing required parameter");
    Cli bash = Cli.runRaw("completion", "bash");
    assertThat(bash.exitCode()).isZero();
    assertThat(bash.out()).contains("complete -F").contains("resume");
    Cli zsh = Cli.runRaw("completion", "zsh");
    assertThat(zsh.out()).startsWith("autoload -U +X compinit");
  }

  @Test
  void aRunWithoutParametersPrintsNoEmptyParamsLineAndOneWithThemDoes() {
    lib.write(
        "bare.yaml",
        """
        runbook: BARE
        title: No parameters
        steps:
          - {id: only, shell: 'true'}
        """);
    lib.write(
        "given.yaml",
        """
        runbook: GIVEN
        title: One parameter
        params:
          Host: {type: host, required: true}
        steps:
          - {id: only, shell: 'true'}
        """);
    Cli bare = lib.cli("run", "BARE");
    assertThat(bare.exitCode()).as(bare.err()).isZero();
    Cli shown = lib.cli("audit", "show", lib.lastRun().runId()); // the only run so far
    assertThat(bare.out() + shown.out()).doesNotContain("params");
    Cli given = lib.cli("run", "GIVEN", "-p", "Host=node-1");
    assertThat(given.exitCode()).as(given.err()).isZero();
    assertThat(given.out()).contains("params Host=node-1");
    // two runs may start within one second, so the run is named by what `run` printed
    Matcher id = Pattern.compile("RUN (\\S+)").matcher(given.out());
    assertThat(id.find()).as(given.out()).isTrue();
    assertThat(lib.cli("audit", "show", id.group(1)).out()).contains("params Host=node-1");
  }

  @Test
  void aValueALaterStepWouldReadAsAnOptionRefusesTheRunBeforeItsFirstStep() throws Exception {
    Path first = tmp.resolve("first-ran");
    lib.write(
        "dash.yaml",
        """
        runbook: DASH
        title: A value that is an option only in the second step
        params:
          X: {type: string, required: true}
        steps:
          - {id: a, shell: 'echo ran > %s'}
          - {id: b, shell: 'tar -cf %s ${params.X}'}
        """
            .formatted(first, tmp.resolve("x.tar")));
    Cli refused = lib.cli("run", "DASH", "-p", "X=--checkpoint-action=exec=id");
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err())
        .contains("step 'b': ${params.X} begins a word, and its value starts with '-'");
    assertThat(first).doesNotExist();
    assertThat(lib.runs()).isEmpty();
    // the dry run shows where it would fail; a plain value runs both steps
    Cli dry = lib.cli("run", "DASH", "--dry-run", "-p", "X=--checkpoint-action=exec=id");
    assertThat(dry.exitCode()).isZero();
    assertThat(dry.out()).contains("would fail before running anything");
    Cli plain = lib.cli("run", "DASH", "-p", "X=" + first); // tar archives what step a wrote
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    assertThat(first).exists();
  }
}
