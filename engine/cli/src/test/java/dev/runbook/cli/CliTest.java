package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  @Test
  void helpListsCommandsAndExitCodes() {
    Cli cli = Cli.runRaw("--help");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out())
        .contains("run ", "validate", "graph", "Exit codes: 0 ok/resolved")
        .contains("3 invalid runbook");
  }

  @Test
  void unknownCommandSuggestsTheNearestOne() {
    Cli cli = Cli.runRaw("valdate");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Unmatched argument at index 0: 'valdate'").contains("validate");
  }

  @Test
  void listShowsRunbooksWithTheirAlarms() {
    Cli cli = Cli.run("list");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out())
        .containsPattern(
            "ALM-45654 +ALM-45654, 45654 +major +Flink HA certificate is about to expire");
    assertThat(cli.out()).contains("ALM-12110");
  }

  @Test
  void theShippedLibraryIsValid() {
    Cli cli = Cli.run("validate");
    assertThat(cli.err()).isEmpty();
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out())
        .matches("checked \\d+ runbook files( and \\d+ library files?)?: all valid\\s*");
  }

  @Test
  void dryRunByAlarmNumberShowsTargetsCommandsAndBranches() {
    Cli cli =
        Cli.run("run", "45654", "--dry-run", "-p", "HostName=node-1", "-p", "StandbyHost=node-2");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out())
        .contains("DRY RUN  ALM-45654")
        .contains("lock     flink-ha-cert/node-1")
        .contains("on omm@node-1 (ssh)  — CHANGES the system")
        .contains("on omm@node-2 (ssh)  — CHANGES the system")
        .contains(
            "$ cd \"${RB_PARAM_BIGDATA_HOME}\"/FusionInsight_Flink_*/install/FusionInsight-Flink-*/flink/sbin && sh proceed_ha_ssl_cert.sh")
        .contains("no → regenerate-on-standby")
        .contains("no → end: resolved");
  }

  @Test
  void dryRunWithoutARequiredParameterSaysSoAndShowsThePlaceholder() {
    Cli cli = Cli.run("run", "ALM-45654", "--dry-run");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.err()).contains("note: parameter HostName is required");
    assertThat(cli.out()).contains("on omm@<params.HostName> (ssh)");
  }

  @Test
  void assumeFollowsOnePath() {
    Cli cli =
        Cli.run(
            "run",
            "ALM-45654",
            "--dry-run",
            "-p",
            "HostName=n1",
            "-p",
            "StandbyHost=n2",
            "--assume",
            "cert-valid-over-30-days=no",
            "--assume",
            "ask-alarm-source=no",
            "--assume",
            "alarm-cleared=no",
            "--assume",
            "periodic-check=no");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).contains("path     following").contains("The path ends: end: escalated");
    assertThat(cli.out()).doesNotContain("[9] periodic-check");
  }

  @Test
  void unknownRunbookSuggestsTheNearestAlarm() {
    Cli cli = Cli.run("run", "ALM-4565", "--dry-run");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err())
        .isEqualTo(
            "runbook: no runbook answers to 'ALM-4565' (did you mean 'ALM-45654'?);"
                + " 'runbook list' shows every runbook and its alarm ids\n");
  }

  @Test
  void aHostParameterThatCouldInjectShellIsRejectedBeforeAnythingRuns() {
    Cli cli = Cli.run("run", "ALM-45654", "--dry-run", "-p", "HostName=node-1; rm -rf /");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err())
        .contains("parameter HostName (host): 'node-1; rm -rf /' is not a host name or address");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void misspeltParameterIsNamed() {
    Cli cli = Cli.run("run", "ALM-45654", "--dry-run", "-p", "Hostname=n1");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err())
        .contains("runbook ALM-45654 has no parameter 'Hostname' (did you mean 'HostName'?)");
  }

  @Test
  void dryRunAsJsonIsThePlan() throws IOException {
    Cli cli =
        Cli.run(
            "run",
            "ALM-45654",
            "--dry-run",
            "--output",
            "json",
            "-p",
            "HostName=n1",
            "-p",
            "StandbyHost=n2");
    assertThat(cli.exitCode()).isZero();
    JsonNode plan = new ObjectMapper().readTree(cli.out());
    assertThat(plan.get("runbook").asText()).isEqualTo("ALM-45654");
    JsonNode call = plan.get("steps").findValues("call").get(0);
    assertThat(call.asText()).isEqualTo("regenerate-and-check (node=active)");
    assertThat(plan.get("steps").get(0).get("kind").asText()).isEqualTo("manual");
  }

  @Test
  void brokenRunbookPrintsEveryProblemWithItsPositionAndNoStackTrace(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(
        file,
        """
        runbook: B-1
        title: Broken
        steps:
          - id: a
            shell: echo hi
            nxt: b
          - id: b
            if: params.Nope == 'x'
            yes: a
        """);
    Cli cli = Cli.runRaw("--runbooks", dir.toString(), "run", "B-1", "--dry-run");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    String shown = file.toString();
    assertThat(cli.err())
        .contains(shown + ":6:5: step 'a': unknown field or action 'nxt' (did you mean 'next'?)")
        .contains(shown + ":7:5: step 'b': a decision needs both 'yes' and 'no'; 'no' is missing")
        .contains(shown + ":8:9: step 'b': 'if': unknown parameter 'Nope'")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    Cli validate = Cli.runRaw("validate", file.toString());
    assertThat(validate.exitCode()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    assertThat(validate.err()).endsWith("4 problems in 1 file of 1\n");
  }

  @Test
  void graphInMermaidAndDot() {
    Cli mermaid = Cli.run("graph", "ALM-45654");
    assertThat(mermaid.exitCode()).isZero();
    assertThat(mermaid.out())
        .startsWith("flowchart TD\n")
        .contains("main__cert_valid_over_30_days -->|no| main__wait_for_off_peak")
        .contains(
            "main__regenerate_on_alarm_host -.->|calls| regenerate_and_check__generate_new_cert");
    Cli dot = Cli.run("graph", "ALM-45654", "--format", "dot");
    assertThat(dot.out())
        .startsWith("digraph \"ALM-45654\" {")
        .contains("subgraph \"cluster_regenerate-and-check\"");
  }

  @Test
  void svgNeedsGraphvizAndSaysHowToGetIt() {
    Cli svg = Cli.run("graph", "ALM-45654", "--format", "svg");
    if (graphvizInstalled()) {
      assertThat(svg.exitCode()).isZero();
      assertThat(svg.out()).contains("<svg");
    } else {
      assertThat(svg.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(svg.err()).contains("apt-get install graphviz");
    }
  }

  private static boolean graphvizInstalled() {
    for (String dir : System.getenv("PATH").split(":")) {
      if (Files.isExecutable(Path.of(dir, "dot"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void showDescribesParametersAndHowToPreview() {
    Cli cli = Cli.run("show", "ALM-45654");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out())
        .contains("HostName (host, required)")
        .contains("Preview:  runbook run ALM-45654 --dry-run -p HostName=…");
  }

  @Test
  void actionsListsTheShippedActionsAndTransports() {
    Cli cli = Cli.run("actions");
    assertThat(cli.out())
        .contains("shell  Run a command on the step's target")
        .contains("kubectl  Run kubectl (or oc) on the step's target, without a shell")
        .contains("transports: local, ssh");
  }
}
