package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.execute.LockHeldException;
import dev.runbook.engine.execute.RunEngine;
import dev.runbook.engine.execute.RunOptions;
import dev.runbook.engine.execute.RunResult;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.ParseResult;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "resume",
    description = {
      "Continue a paused or crashed run from its trail.",
      "Finished steps are not run again; a step cut off by a crash is run again when it is",
      "idempotent, otherwise you are asked (answer with --answer STEP=yes|no)."
    })
final class ResumeCommand extends BaseCommand {

  @Parameters(
      index = "0",
      paramLabel = "RUN",
      description = "The run id (or a unique prefix of it).")
  String runId;

  @Option(
      names = "--answer",
      paramLabel = "STEP=yes|no",
      description = "Answer the question the run is waiting for.")
  Map<String, String> answers = new LinkedHashMap<>();

  @Option(names = "--answers-file", paramLabel = "FILE", description = "A YAML file of answers.")
  Path answersFile;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=@FILE",
      description =
          "Secret parameters again (never recorded): NAME=@FILE or RUNBOOK_SECRET_<NAME>.")
  Map<String, String> secrets = new LinkedHashMap<>();

  @Option(
      names = "--wait-lock",
      paramLabel = "DURATION",
      description = "Wait this long for a lock another run holds.")
  String waitLock;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path stateDir = root().stateDirectory();
    RunDirectory dir;
    try {
      dir = RunDirectory.find(stateDir, runId);
    } catch (NoSuchFileException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    } catch (IOException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
    AuditEvent.RunStarted started =
        AuditTrail.read(dir).events().stream()
            .filter(AuditEvent.RunStarted.class::isInstance)
            .map(AuditEvent.RunStarted.class::cast)
            .findFirst()
            .orElseThrow(
                () ->
                    new UserException(
                        ExitCodes.USAGE, "run " + dir.runId() + " has no run.started event"));
    ParseResult found = session().find(started.runbook());
    Runbook runbook = session().requireValid(started.runbook(), err());
    Map<String, String> params = new LinkedHashMap<>();
    for (ParamSpec spec : runbook.params().values()) {
      String recorded = started.params().get(spec.name());
      if (!spec.secret() && recorded != null) {
        params.put(spec.name(), recorded);
      }
    }
    Map<String, String> given = new LinkedHashMap<>(params);
    given.putAll(secrets);
    Map<String, String> values =
        new ParamInput(System::getenv, session().inventory()).collect(runbook, given, true, err());
    RunOptions options =
        Runs.options(
            stateDir,
            answers,
            answersFile,
            out(),
            waitLock == null ? java.time.Duration.ZERO : RunCommand.duration(waitLock),
            session().inventory());
    try {
      RunResult result =
          new RunEngine(session().plugins(), new Expressions())
              .resume(found.runbook(), dir, values, options, new ConsoleListener(out(), false));
      return Runs.finish(result, stateDir, out(), err());
    } catch (RunEngine.ResumeRefused e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    } catch (LockHeldException e) {
      throw Runs.lockHeld(e);
    }
  }
}
