package dev.runbook.cli;

import dev.runbook.engine.execute.Answerer;
import dev.runbook.engine.execute.LockHeldException;
import dev.runbook.engine.execute.RunOptions;
import dev.runbook.engine.execute.RunResult;
import dev.runbook.engine.execute.Sleeper;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** What `run` and `resume` share: run options, answers, and turning a result into an exit code. */
final class Runs {

  private Runs() {}

  static String operator() {
    String operator = System.getenv("RUNBOOK_OPERATOR");
    return operator != null && !operator.isBlank()
        ? operator
        : System.getProperty("user.name", "unknown");
  }

  static String machine() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String host = System.getenv("HOSTNAME");
      return host == null ? "unknown" : host;
    }
  }

  static RunOptions options(
      Path stateDir,
      Map<String, String> answers,
      Path answersFile,
      PrintWriter out,
      Duration lockWait,
      dev.runbook.engine.library.Inventory inventory) {
    String operator = operator();
    Answerer answerer = Answers.given(answers, "--answer", operator);
    if (answersFile != null) {
      answerer =
          answerer.orElse(Answers.given(Answers.readFile(answersFile), "answers-file", operator));
    }
    answerer = answerer.orElse(Answers.terminal(out, operator));
    boolean fsync = !"off".equals(System.getenv("RUNBOOK_FSYNC"));
    return new RunOptions(
        stateDir,
        operator,
        machine(),
        Version.current(),
        Clock.systemUTC(),
        Sleeper.REAL,
        answerer,
        lockWait == null ? Duration.ZERO : lockWait,
        fsync,
        inventory);
  }

  /** Prints how the run stopped and what to do next; returns the documented exit code. */
  static int finish(RunResult result, Path stateDir, PrintWriter out, PrintWriter err) {
    Path trail = stateDir.resolve("runs").resolve(result.runId());
    if (result.paused()) {
      String stepId =
          result
              .pausedAt()
              .replaceAll(".*/", "")
              .replaceAll("@\\d+$", "")
              .replaceAll("\\[\\d+\\]$", "");
      err.println("The run is paused, waiting for a person. Continue it with:");
      err.println("  runbook resume " + result.runId() + " --answer " + stepId + "=yes   (or =no)");
      err.println("Trail: " + trail);
      return ExitCodes.PAUSED;
    }
    out.println("Trail: " + trail + "   (runbook audit show " + result.runId() + ")");
    return switch (result.outcome()) {
      case RESOLVED -> ExitCodes.OK;
      case ESCALATED -> ExitCodes.ESCALATED;
      case FAILED -> ExitCodes.FAILED;
    };
  }

  static UserException lockHeld(LockHeldException e) {
    return new UserException(
        ExitCodes.LOCKED,
        "lock '"
            + e.key()
            + "' is held by "
            + e.holder()
            + "; wait for it to finish, or give --wait-lock 10m to wait");
  }
}
