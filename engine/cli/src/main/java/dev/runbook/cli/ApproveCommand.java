package dev.runbook.cli;

import java.util.LinkedHashMap;
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
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("operator", Runs.operator());
    if (note != null) {
      body.put("note", note);
    }
    ServerClient.Reply reply =
        client.post("/v1/runs/" + runId + "/approve", body, root().stateDirectory());
    if (reply.status() != 202) {
      throw ServerClient.refused(reply);
    }
    out()
        .println(
            "approved step "
                + reply.body().path("approved").asText()
                + " of run "
                + runId
                + " as "
                + reply.body().path("by").asText()
                + "; the run goes on on the server (runbook audit show "
                + runId
                + ")");
    return ExitCodes.OK;
  }
}
