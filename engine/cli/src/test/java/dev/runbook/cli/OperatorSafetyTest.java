package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.engine.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects an operator would hit in the first week (issue 11, part A), each against the real CLI
 * and real /bin/sh: answers, conflicting runbooks, forgotten --dry-run, placeholders, typed
 * procedure inputs, optional parameters, bounded human loops, resuming, -p taken verbatim, secret
 * output.
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
  void aNewAnswerGivenToResumeWinsOverTheNoTheRunPausedOn() {
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
        .extracting(AuditEvent.Answered::answer, AuditEvent.Answered::note)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("no", null),
            org.assertj.core.groups.Tuple.tuple("done", "disk 3 swapped"));
    assertThat(lib.events(AuditEvent.RunFinished.class).get(0).outcome().label())
        .isEqualTo("resolved");
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
  void aMissingValueFailsTheStepBeforeAnythingRunsInsteadOfItsPlaceholder() {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Other: {type: string}
        procedures:
          use:
            inputs: {v: {type: string}}
            steps:
              - {id: write, shell: "printf %%s ${inputs.v} > %s"}
        steps:
          - id: pass-param
            call: use
            with: {v: "${params.Other}"}
            on_failure: pass-step
          - id: pass-step
            call: use
            with: {v: "${steps.never.stdout}"}
            on_failure: {end: failed, message: both refused}
          - {id: never, shell: echo never}
        """
            .formatted(marker));
    Cli cli = lib.cli("run", "R");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(marker).doesNotExist();
    assertThat(lib.events(AuditEvent.StepFinished.class))
        .extracting(AuditEvent.StepFinished::message)
        .contains("no value for params.Other (give it with -p NAME=VALUE)")
        .contains("no value for steps.never.stdout");
    assertThat(lib.events(AuditEvent.CommandRendered.class)).isEmpty();
  }

  @Test
  void procedureInputsAreCheckedLikeParameters() {
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

    lib.write(
        "rendered.yaml",
        """
        runbook: RENDERED
        title: t
        params:
          Node: {type: string, required: true}
        procedures:
          p:
            inputs: {host: {type: host}}
            steps: [{id: s, shell: "touch %s"}]
        steps:
          - {id: c, call: p, with: {host: "${params.Node}"}}
        """
            .formatted(marker));
    Cli cli = lib.cli("run", "RENDERED", "-p", "Node=x; y");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(marker).doesNotExist();
    assertThat(cli.out()).contains("input host (host) of procedure 'p': 'x; y' is not a host name");
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
  void aLoopThroughAPersonEndsAtItsBoundAndLeadsToTheDocumentsFallback() {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        steps:
          - id: wait-and-check
            ask: Is the alarm cleared?
            max_visits: 3
            yes: {end: resolved}
            no: wait-and-check
            on_failure: contact-om
          - {id: contact-om, ref: "8", end: escalated, message: contact O&M}
        """);
    Cli cli = lib.cli("run", "R", "--answer", "wait-and-check=no");
    assertThat(cli.exitCode()).as(cli.out()).isEqualTo(ExitCodes.ESCALATED);
    AuditEvent.StepFinished refused =
        lib.events(AuditEvent.StepFinished.class).stream()
            .filter(f -> f.failed())
            .findFirst()
            .orElseThrow();
    assertThat(refused.step()).isEqualTo("wait-and-check@4");
    assertThat(refused.failureKind()).isEqualTo("limit-reached");
    assertThat(refused.message()).contains("'wait-and-check'").contains("max_visits (3)");
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
  void aRunThatFailedForLackOfAValueContinuesFromItsFailedStep() {
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
    assertThat(lib.events(AuditEvent.Resumed.class).get(0).retry()).isEqualTo("use@1");
    // The retry follows the failed run.finished: the one thing allowed after it; the trail
    // verifies.
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
}
