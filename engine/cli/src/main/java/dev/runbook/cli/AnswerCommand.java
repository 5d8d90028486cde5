package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "answer",
    description = {
      "Answer the question a paused run of runbook serve waits at.",
      "(Or confirm its manual step.) The run goes on on the server; its trail",
      "records the answer and who gave it (RUNBOOK_OPERATOR, else your OS user)."
    })
final class AnswerCommand extends BaseCommand {

  @Parameters(
      index = "0",
      paramLabel = "RUN",
      description = "The run id (in the server's console and notices).")
  String runId;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "STEP=ANSWER",
      description = "The step id and its answer: yes or no, a choice, a value.")
  Map<String, String> answers = new LinkedHashMap<>();

  @Option(names = "--note", paramLabel = "TEXT", description = "A note recorded with it.")
  String note;

  @Mixin ServerClient client;

  @Override
  public Integer call() {
    JsonNode reply =
        client.act(runId, "answers", Map.of("answers", answers), note, root().stateDirectory());
    out()
        .println(
            "answered " + String.join(", ", answers.keySet()) + ServerClient.goesOn(runId, reply));
    return ExitCodes.OK;
  }
}
