package dev.runbook.cli;

import dev.runbook.engine.Engine;
import dev.runbook.engine.ParameterCheck;
import dev.runbook.engine.Plan;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunRequest;
import dev.runbook.engine.RunResult;
import dev.runbook.engine.model.Durations;
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

  @Mixin OutputFormat output;

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
  public Integer call() throws Exception {
    if (!dryRun && !assumptions.isEmpty()) {
      throw new UserException(
          ExitCodes.USAGE,
          "--assume only means something with --dry-run (it picks a path to show); to answer a"
              + " real run's questions ahead of time use --answer STEP=ANSWER");
    }
    Duration lockWait = waitLock == null ? Duration.ZERO : duration(waitLock, "--wait-lock");
    Engine engine = dryRun ? session().engineWritingNothing() : session().engine();
    Runbook runbook = engine.runbook(name);
    Map<String, String> given =
        new SecretInput(System::getenv)
            .values(runbook, ParamArgs.parse(params, "-p"), !dryRun, err());
    if (!dryRun) {
      RunRequest request =
          new RunRequest(
              name,
              given,
              Answers.given(answers, notes, answersFile),
              new TerminalAnswerer(Runs.operator(), Glyphs.forConsole()),
              lockWait,
              Runs.who());
      RunListener listener =
          output.json() ? new JsonLinesListener(out()) : ConsoleListener.forTerminal(out());
      RunResult result = Runs.guarded(() -> engine.run(request, Runs.noticing(listener)));
      return Runs.finish(result, runbook, engine.stateDir(), output.json() ? err() : out(), err());
    }
    ParameterCheck check = engine.checkParameters(runbook, given, false);
    check.notes().forEach(note -> err().println("note: " + note));
    Plan plan = engine.plan(runbook, check.values(), assumptions);
    if (output.json()) {
      printJson(plan);
    } else {
      new PlanPrinter(out()).print(plan);
    }
    return ExitCodes.OK;
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
}
