package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "approve",
    description = {
      "Approve the change a paused run of runbook serve waits for.",
      "That is the run's first step that changes the system. The run goes on on the",
      "server; its trail records who approved (RUNBOOK_OPERATOR, else your OS user)",
      "and from where."
    })
final class ApproveCommand extends BaseCommand {

  @Parameters(
      index = "0",
      paramLabel = "RUN",
      description = "The run id (in the server's console and notices).")
  String runId;

  @Option(names = "--note", paramLabel = "TEXT", description = "A note recorded with it.")
  String note;

  @Mixin ServerClient client;

  @Override
  public Integer call() {
    JsonNode reply = client.act(runId, "approve", Map.of(), note, root().stateDirectory());
    out()
        .println(
            "approved step " + reply.path("approved").asText() + ServerClient.goesOn(runId, reply));
    return ExitCodes.OK;
  }
}
