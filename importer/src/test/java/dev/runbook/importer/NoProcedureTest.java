package dev.runbook.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.StepKind;
import org.junit.jupiter.api.Test;

/** A document with no numbered procedure still gives a valid runbook: its text, for a person. */
class NoProcedureTest {

  @Test
  void theRunbookIsOneManualStepAndATodo() {
    var imported = Imports.resource("notes-without-steps.txt");
    assertThat(imported.steps()).hasSize(1);
    assertThat(imported.steps().get(0).kind()).isInstanceOf(StepKind.Manual.class);
    assertThat(imported.yaml())
        .contains("# TODO(import): no numbered steps were found: encode this document by hand");
    assertThat(imported.imported().todos()).isEqualTo(1);
  }

  @Test
  void anAlarmDocumentWhoseProcedureIsProse() {
    String doc =
        """
        ALM-99018 Relay Tasks Killed
        ============================

        Procedure
        ---------

        Check who killed the tasks in the relay audit log, and why.
        """;
    var imported =
        Imports.text("versions_earlier_than_mrs_3.x__alm-99018_relay_tasks_killed.rst", doc);
    assertThat(imported.runbook().id()).isEqualTo("ALM-99018-pre3");
    assertThat(imported.steps()).hasSize(1);
  }
}
