package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed fan-out says each item's message once on the console; the trail keeps them all. */
class FanOutConsoleTest {

  @TempDir Path tmp;

  @Test
  void eachFailedItemsMessageIsPrintedOnceAndTheTrailKeepsThemAll() {
    TempLibrary lib = new TempLibrary(tmp);
    lib.write(
        "fan.yaml",
        """
        runbook: FAN
        title: Two items fail
        params: {Items: {type: hosts, default: "alpha,beta,gamma"}}
        procedures:
          check:
            inputs: {item: {type: string, required: true}}
            steps:
              - {id: probe, shell: "echo probing; test ${inputs.item} = gamma"}
        steps:
          - {id: each, foreach: "${params.Items}", as: item, call: check, with: {item: "${item}"}}
        """);
    Cli run = lib.cli("run", "FAN");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    String console = run.out() + run.err();
    assertThat(console.split("exited with status 1", -1))
        .as("each item's message once:%n%s", console)
        .hasSize(3);
    assertThat(console)
        .contains("FAILED: ")
        .contains("2 of 3 items failed (each said so above; the trail has them all)");
    assertThat(lib.events(AuditEvent.RunFinished.class).get(0).message())
        .contains("alpha (probe: exited with status 1)")
        .contains("beta (probe: exited with status 1)");
  }
}
