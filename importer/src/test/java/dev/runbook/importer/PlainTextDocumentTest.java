package dev.runbook.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import org.junit.jupiter.api.Test;

/**
 * A help page copied as plain text: no markup, lists that restart at 1 under every sub-heading
 * while the go-tos use the document's running numbers, "• If yes, go to 6." bullets, a table
 * flattened to one cell per line.
 */
class PlainTextDocumentTest {

  private final Imports.Imported imported = Imports.resource("mrs-alm-99654-spool-certificate.txt");

  @Test
  void numbersRunOnAcrossListsThatRestartAtOne() {
    assertThat(imported.steps().stream().map(Step::ref).distinct())
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "10");
    assertThat(imported.edges())
        .containsExactly(
            "4 no -> 5", "4 yes -> 6", "5 no -> 7", "5 yes -> 6", "6 no -> resolved", "6 yes -> 7");
  }

  @Test
  void titleSeverityParametersAndAppliesComeFromTheFlattenedPage() {
    var rb = imported.runbook();
    assertThat(rb.id()).isEqualTo("ALM-99654");
    assertThat(rb.severity()).isEqualTo("warning");
    assertThat(rb.params().keySet()).containsExactly("Source", "HostName");
    assertThat(rb.source().applies()).isEqualTo("MRS 3.x (MRS 3.2.0 or later)");
  }

  @Test
  void commandsWithoutMarkupAreFoundByTheirWords() {
    StepKind.ActionCall read = (StepKind.ActionCall) imported.step("step-3").kind();
    assertThat(RstAlarmDocumentTest.command(read))
        .isEqualTo("openssl x509 -noout -enddate -in /opt/spool/cert/server.crt");
    assertThat(read.changes()).isFalse();
    StepKind.ActionCall renew = (StepKind.ActionCall) imported.step("step-4").kind();
    assertThat(RstAlarmDocumentTest.command(renew)).isEqualTo("sh /opt/spool/sbin/renew_cert.sh");
    assertThat(renew.changes()).isTrue();
    assertThat(imported.step("step-4").on().raw()).isEqualTo("alarm-host-omm");
  }

  @Test
  void stepsWrittenAsStepN() {
    String doc =
        """
        ALM-99020 Relay Queue Full

        Procedure

        Step 1 Check whether the relay queue is full.

          • If yes, go to Step 3.
          • If no, go to Step 2.

        Step 2 Restart the relay. No further action is required.

        Step 3 Contact O&M personnel.
        """;
    var imported = Imports.text("relay-queue-full.txt", doc);
    assertThat(imported.edges()).containsExactly("1 no -> 2", "1 yes -> 3");
  }

  @Test
  void aGoToInRunningProseIsATodo() {
    assertThat(imported.yaml())
        .contains(
            "# TODO(import): a go-to in running prose (\"On the node where the standby spool instance is located, repeat 3 to 4\")");
  }
}
