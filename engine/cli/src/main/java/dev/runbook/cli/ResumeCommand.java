package dev.runbook.cli;

import dev.runbook.engine.Engine;
import dev.runbook.engine.ResumeRequest;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunResult;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.model.Runbook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "resume",
    description = {
      "Continue a paused or crashed run from its trail.",
      "Finished steps are not run again; a step cut off by a crash is run again when it is",
      "idempotent, otherwise you are asked (answer with --answer STEP=yes|no). The runbook is the",
      "file the run started from (as the trail records it, refused if it changed since)."
    })
final class ResumeCommand extends BaseCommand {

  @Parameters(
      index = "0",
      paramLabel = "RUN",
      description = "The run id (or a unique prefix of it).")
  String runId;

  @Option(
      names = "--answer",
      paramLabel = "STEP=ANSWER",
      description =
          "Answer the step the run waits at (it wins over an answer recorded there): yes or no,"
              + " a case, or a value.")
  Map<String, String> answers = new LinkedHashMap<>();

  @Option(
      names = "--note",
      paramLabel = "STEP=TEXT",
      description = "A note recorded with the answer to STEP.")
  Map<String, String> notes = new LinkedHashMap<>();

  @Option(names = "--answers-file", paramLabel = "FILE", description = "A YAML file of answers.")
  Path answersFile;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description = {
        "Secret parameters again (never recorded): NAME=@FILE or RUNBOOK_SECRET_<NAME>;",
        "and parameters the run started without. A recorded value cannot change,",
        "except with --retry-failed."
      })
  List<String> params = new ArrayList<>();

  @Option(
      names = "--retry-failed",
      description =
          "Run the step that made the run fail again (a value was missing, a host was down).")
  boolean retryFailed;

  @Option(
      names = "--wait-lock",
      paramLabel = "DURATION",
      description = "Wait this long for a lock another run holds.")
  String waitLock;

  @Mixin OutputFormat output;

  @Override
  public Integer call() throws Exception {
    Duration lockWait =
        waitLock == null ? Duration.ZERO : RunCommand.duration(waitLock, "--wait-lock");
    Engine engine = session().engine();
    RunDirectory dir = engine.pullRun(runId);
    Runbook runbook = engine.runbookOf(dir);
    Map<String, String> given =
        new SecretInput(System::getenv).values(runbook, ParamArgs.parse(params, "-p"), true, err());
    ResumeRequest request =
        new ResumeRequest(
            dir.runId(),
            given,
            Answers.given(answers, notes, answersFile),
            new TerminalAnswerer(Runs.operator(), Glyphs.forConsole()),
            lockWait,
            retryFailed,
            Runs.who());
    RunListener listener =
        output.json() ? new JsonLinesListener(out()) : ConsoleListener.forTerminal(out());
    StopOnSignal.started(dir.runId());
    RunResult result = Runs.guarded(() -> engine.resume(request, listener));
    return Runs.finish(result, runbook, engine.stateDir(), output.json() ? err() : out(), err());
  }
}
