package dev.runbook.cli;

import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.plan.Plan;
import dev.runbook.engine.plan.Planner;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "run",
    description = {
      "Run the runbook for an alarm id or runbook id.",
      "With --dry-run, print every step it would take, where, with which command and which",
      "branches, and run nothing."
    })
final class RunCommand extends BaseCommand {

  @Parameters(
      index = "0",
      paramLabel = "ALARM_OR_ID",
      description = "An alarm id (ALM-45654, 45654) or a runbook id.")
  String name;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description = "A parameter; for secrets use NAME=@FILE or RUNBOOK_SECRET_<NAME>.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--dry-run", description = "Show what would run; run nothing, connect nowhere.")
  boolean dryRun;

  @Option(
      names = "--assume",
      paramLabel = "STEP=yes|no",
      description = "With --dry-run: follow the path these answers select.")
  Map<String, String> assumptions = new LinkedHashMap<>();

  @Option(
      names = "--output",
      paramLabel = "text|json",
      description = "Output format (default: text).")
  Format format = Format.TEXT;

  @Option(
      names = "--answer",
      paramLabel = "STEP=yes|no",
      description = "Answer a question (ask, manual, or a step in doubt) ahead of time.")
  Map<String, String> answers = new LinkedHashMap<>();

  @Option(
      names = "--answers-file",
      paramLabel = "FILE",
      description = "A YAML file of answers: 'periodic-check: no'.")
  java.nio.file.Path answersFile;

  @Option(
      names = "--wait-lock",
      paramLabel = "DURATION",
      description = "Wait this long for a lock another run holds (default: do not wait).")
  String waitLock;

  @Override
  public Integer call() throws java.io.IOException, InterruptedException {
    Runbook runbook = session().requireValid(name, err());
    Map<String, String> values =
        new ParamInput(System::getenv, session().inventory())
            .collect(runbook, params, !dryRun, err());
    if (!dryRun) {
      return runForReal(runbook, values);
    }
    Plan plan =
        new Planner(session().plugins(), session().inventory())
            .plan(runbook, values, assumed(runbook));
    if (format == Format.JSON) {
      printJson(plan);
    } else {
      new PlanPrinter(out()).print(plan);
    }
    return ExitCodes.OK;
  }

  private int runForReal(Runbook runbook, Map<String, String> values)
      throws java.io.IOException, InterruptedException {
    java.nio.file.Path stateDir = root().stateDirectory();
    // A signing key that cannot be used stops the run before it makes its directory.
    dev.runbook.engine.audit.SigningKey.fromEnvironment(stateDir);
    java.time.Duration lockWait = waitLock == null ? java.time.Duration.ZERO : duration(waitLock);
    dev.runbook.engine.execute.RunOptions options =
        Runs.options(stateDir, answers, answersFile, out(), lockWait, session().inventory());
    dev.runbook.engine.execute.RunEngine engine =
        new dev.runbook.engine.execute.RunEngine(
            session().plugins(), new dev.runbook.engine.expr.Expressions());
    try {
      dev.runbook.engine.execute.RunResult result =
          engine.start(runbook, values, options, new ConsoleListener(out(), false));
      return Runs.finish(result, stateDir, out(), err());
    } catch (dev.runbook.engine.execute.LockHeldException e) {
      throw Runs.lockHeld(e);
    }
  }

  static java.time.Duration duration(String text) {
    try {
      return dev.runbook.engine.expr.Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
  }

  private Map<String, Boolean> assumed(Runbook runbook) {
    Map<String, Boolean> answers = new LinkedHashMap<>();
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    runbook.steps().forEach(s -> ids.add(s.id()));
    runbook.procedures().values().forEach(p -> p.steps().forEach(s -> ids.add(s.id())));
    assumptions.forEach(
        (step, answer) -> {
          if (!ids.contains(step)) {
            throw new UserException(
                ExitCodes.USAGE,
                "--assume "
                    + step
                    + ": runbook "
                    + runbook.id()
                    + " has no step '"
                    + step
                    + "'"
                    + dev.runbook.engine.parse.Suggestions.hint(step, ids));
          }
          Boolean value =
              switch (answer) {
                case "yes", "true" -> Boolean.TRUE;
                case "no", "false" -> Boolean.FALSE;
                default -> null;
              };
          if (value == null) {
            throw new UserException(
                ExitCodes.USAGE,
                "--assume " + step + "=" + answer + ": the answer must be yes or no");
          }
          answers.put(step, value);
        });
    return answers;
  }
}
