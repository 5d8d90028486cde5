package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.execute.LockHeldException;
import dev.runbook.engine.execute.RunEngine;
import dev.runbook.engine.execute.RunListener;
import dev.runbook.engine.execute.RunOptions;
import dev.runbook.engine.execute.RunResult;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
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

  @Option(
      names = "--output",
      paramLabel = "text|json",
      description = "text (default), or json: the resumed run as JSON lines.")
  Format format = Format.TEXT;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Duration lockWait =
        waitLock == null ? Duration.ZERO : RunCommand.duration(waitLock, "--wait-lock");
    Path stateDir = root().stateDirectory();
    RunDirectory dir = Runs.findRun(stateDir, runId);
    AuditEvent.RunStarted started =
        AuditTrail.read(dir).events().stream()
            .filter(AuditEvent.RunStarted.class::isInstance)
            .map(AuditEvent.RunStarted.class::cast)
            .findFirst()
            .orElseThrow(
                () ->
                    new UserException(
                        ExitCodes.USAGE, "run " + dir.runId() + " has no run.started event"));
    Runbook runbook = session().runbookOf(started, err());
    Map<String, String> given = ParamArgs.parse(params, "-p");
    Map<String, String> values = new LinkedHashMap<>();
    for (ParamSpec spec : runbook.params().values()) {
      String recorded = started.params().get(spec.name());
      if (spec.secret() || recorded == null) {
        continue;
      }
      String again = given.get(spec.name());
      if (again != null && !again.equals(recorded) && !retryFailed) {
        throw new UserException(
            ExitCodes.USAGE,
            "parameter "
                + spec.name()
                + " was '"
                + recorded
                + "' when run "
                + dir.runId()
                + " started; a resumed run keeps its parameters (--retry-failed may change them,"
                + " to run a failed step again with another value)");
      }
      values.put(spec.name(), recorded);
    }
    values.putAll(given);
    Map<String, String> checked =
        new ParamInput(System::getenv, session().inventory()).collect(runbook, values, true, err());
    Map<String, Answers.Given> flagAnswers = Answers.fromFlags(answers, notes);
    Map<String, Answers.Given> fileAnswers =
        answersFile == null ? Map.of() : Answers.readFile(answersFile);
    Answers.checkSteps(runbook, answers.keySet(), "--answer");
    Answers.checkSteps(runbook, notes.keySet(), "--note");
    Answers.checkSteps(runbook, fileAnswers.keySet(), "answers file " + answersFile + ":");
    Runs.checkSettings(session().plugins(), runbook);
    RunOptions options =
        Runs.options(stateDir, flagAnswers, fileAnswers, lockWait, session().inventory());
    RunListener listener =
        format == Format.JSON ? new JsonLinesListener(out()) : ConsoleListener.forTerminal(out());
    try {
      RunEngine engine = new RunEngine(session().plugins(), new Expressions());
      StopOnSignal.started(dir.runId());
      RunResult result =
          Runs.guarded(() -> engine.resume(runbook, dir, checked, options, listener, retryFailed));
      return Runs.finish(result, runbook, stateDir, format == Format.JSON ? err() : out(), err());
    } catch (RunEngine.ResumeRefused e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    } catch (LockHeldException e) {
      throw Runs.lockHeld(e);
    }
  }
}
