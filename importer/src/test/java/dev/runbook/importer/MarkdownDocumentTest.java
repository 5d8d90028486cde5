package dev.runbook.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.StepKind;
import org.junit.jupiter.api.Test;

/**
 * Markdown: a numbered list, commands in backticks, "go to step 3", fenced blocks, numbered
 * headings. A document about no alarm runs its commands on the engine's own machine.
 */
class MarkdownDocumentTest {

  @Test
  void aNumberedListWithCodeSpansAndGoToStepN() {
    var imported = Imports.resource("spool-disk-filling-up.md");
    assertThat(imported.runbook().id()).isEqualTo("SPOOL-DISK-FILLING-UP");
    assertThat(imported.runbook().alarms()).isEmpty();
    assertThat(imported.edges())
        .containsExactly(
            "1 no -> 2",
            "1 yes -> 3",
            "2 no -> 4",
            "2 yes -> resolved",
            "3 no -> 4",
            "3 yes -> resolved");
    StepKind.ActionCall df = (StepKind.ActionCall) imported.step("step-1").kind();
    assertThat(RstAlarmDocumentTest.command(df)).isEqualTo("df -h /");
    assertThat(imported.step("step-1").on().raw()).isEqualTo("local");
    assertThat(imported.step("step-4").kind()).isInstanceOf(StepKind.End.class);
  }

  @Test
  void numberedHeadingsWithFencedCommandsAreSteps() {
    String doc =
        """
        # Deploy the relay

        ## Deployment Steps

        ### 1. Create the directory
        ```bash
        mkdir -p /srv/relay
        ls -ld /srv/relay
        ```

        ### 2. Check it
        ```bash
        ls -l /srv/relay
        ```

        ```yaml
        relay: {port: 9000}
        ```
        """;
    var imported = Imports.text("deploy-relay.md", doc);
    assertThat(imported.withRef("1")).hasSize(2);
    StepKind.ActionCall create = (StepKind.ActionCall) imported.withRef("1").get(1).kind();
    assertThat(RstAlarmDocumentTest.command(create))
        .isEqualTo("mkdir -p /srv/relay\nls -ld /srv/relay");
    assertThat(create.changes()).isTrue();
    StepKind.ActionCall check = (StepKind.ActionCall) imported.withRef("2").get(1).kind();
    assertThat(check.changes()).isFalse();
    assertThat(imported.yaml()).doesNotContain("shell: \"relay: {port: 9000}\"");
  }
}
