package dev.runbook.cli;

import dev.runbook.engine.execute.LockHeldException;
import dev.runbook.engine.execute.RunEngine;
import dev.runbook.engine.execute.RunListener;
import dev.runbook.engine.execute.RunOptions;
import dev.runbook.engine.execute.RunResult;
import dev.runbook.engine.expr.Durations;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.Suggestions;
import dev.runbook.engine.plan.Plan;
import dev.runbook.engine.plan.Planner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
      description = {
        "A parameter, taken verbatim after the first '='.",
        "Secrets: NAME=@FILE, RUNBOOK_SECRET_<NAME>, or a prompt at the terminal.",
        "A hosts parameter takes @GROUP from the inventory; @@ writes a literal @."
      })
  List<String> params = new ArrayList<>();

  @Option(names = "--dry-run", description = "Show what would run; run nothing, connect nowhere.")
  boolean dryRun;

  @Option(
      names = "--assume",
      paramLabel = "STEP=ANSWER",
      description = "With --dry-run only: follow the path these answers select.")
  Map<String, String> assumptions = new LinkedHashMap<>();

  @Option(
      names = "--output",
      paramLabel = "text|json",
      description = {
        "text (default), or json: the plan as one JSON document with --dry-run;",
        "a real run as JSON lines, one trail event a line, as it happens."
      })
  Format format = Format.TEXT;

  @Option(
      names = "--answer",
      paramLabel = "STEP=ANSWER",
      description =
          "Answer a step ahead of time: yes or no, a case of a multi-way question, or a value a"
              + " step captures.")
  Map<String, String> answers = new LinkedHashMap<>();

  @Option(
      names = "--note",
      paramLabel = "STEP=TEXT",
      description = "A note recorded with the answer to STEP.")
  Map<String, String> notes = new LinkedHashMap<>();

  @Option(
      names = "--answers-file",
      paramLabel = "FILE",
      description = "A YAML file of answers: 'periodic-check: no' or 'x: {answer: no, note: …}'.")
  Path answersFile;

  @Option(
      names = "--wait-lock",
      paramLabel = "DURATION",
      description = "Wait this long for a lock another run holds (default: do not wait).")
  String waitLock;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!dryRun && !assumptions.isEmpty()) {
      throw new UserException(
          ExitCodes.USAGE,
          "--assume only means something with --dry-run (it picks a path to show); to answer a"
              + " real run's questions ahead of time use --answer STEP=ANSWER");
    }
    Duration lockWait = waitLock == null ? Duration.ZERO : duration(waitLock, "--wait-lock");
    Runbook runbook = session().requireValid(name, err());
    Map<String, String> values =
        new ParamInput(System::getenv, session().inventory())
            .collect(runbook, ParamArgs.parse(params, "-p"), !dryRun, err());
    if (!dryRun) {
      return runForReal(runbook, values, lockWait);
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

  private int runForReal(Runbook runbook, Map<String, String> values, Duration lockWait)
      throws IOException, InterruptedException {
    Map<String, Answers.Given> flagAnswers = Answers.fromFlags(answers, notes);
    Map<String, Answers.Given> fileAnswers =
        answersFile == null ? Map.of() : Answers.readFile(answersFile);
    Answers.checkSteps(runbook, answers.keySet(), "--answer");
    Answers.checkSteps(runbook, notes.keySet(), "--note");
    Answers.checkSteps(runbook, fileAnswers.keySet(), "answers file " + answersFile + ":");
    Runs.checkSettings(session().plugins(), runbook);
    Path stateDir = root().stateDirectory();
    RunOptions options =
        Runs.options(stateDir, flagAnswers, fileAnswers, lockWait, session().inventory());
    RunListener listener =
        format == Format.JSON ? new JsonLinesListener(out()) : ConsoleListener.forTerminal(out());
    RunEngine engine = new RunEngine(session().plugins(), new Expressions());
    try {
      RunResult result =
          Runs.guarded(() -> engine.start(runbook, values, options, Runs.noticing(listener)));
      return Runs.finish(result, runbook, stateDir, format == Format.JSON ? err() : out(), err());
    } catch (LockHeldException e) {
      throw Runs.lockHeld(e);
    } catch (RunEngine.ResumeRefused e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage()); // lock: no value for …
    }
  }

  /** A duration option; anything else is a usage error naming the option. */
  static Duration duration(String text, String option) {
    try {
      Duration parsed = Durations.parse(text);
      if (parsed.compareTo(Duration.ofDays(7)) > 0) {
        throw new UserException(
            ExitCodes.USAGE,
            option + " " + text + ": at most 7d (a lock held longer than that is a stale run)");
      }
      return parsed;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new UserException(ExitCodes.USAGE, option + " " + text + ": " + e.getMessage());
    }
  }

  private Map<String, Boolean> assumed(Runbook runbook) {
    Map<String, Boolean> assumed = new LinkedHashMap<>();
    Set<String> ids = Answers.stepIds(runbook);
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
                    + Suggestions.hint(step, ids));
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
          assumed.put(step, value);
        });
    return assumed;
  }
}
