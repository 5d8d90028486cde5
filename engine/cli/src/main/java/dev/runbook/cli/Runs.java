package dev.runbook.cli;

import dev.runbook.engine.execute.Answerer;
import dev.runbook.engine.execute.LockHeldException;
import dev.runbook.engine.execute.RunOptions;
import dev.runbook.engine.execute.RunResult;
import dev.runbook.engine.execute.Sleeper;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Runbook;
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

  /**
   * Who runs it, as they name themselves: {@code RUNBOOK_OPERATOR} (a shared service account's
   * person, a ticket's assignee), else the OS user. The trail records the OS user beside it ({@link
   * #osUser()}), never one instead of the other.
   */
  static String operator() {
    String operator = System.getenv("RUNBOOK_OPERATOR");
    return operator != null && !operator.isBlank() ? operator.strip() : osUser();
  }

  /** The OS account the engine runs as. */
  static String osUser() {
    return System.getProperty("user.name", "unknown");
  }

  static String machine() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String host = System.getenv("HOSTNAME");
      return host == null ? "unknown" : host;
    }
  }

  /**
   * How a run or resume runs: answers from the flags first, then the answers file, then the
   * terminal.
   */
  static RunOptions options(
      Path stateDir,
      Map<String, Answers.Given> flagAnswers,
      Map<String, Answers.Given> fileAnswers,
      Duration lockWait,
      dev.runbook.engine.library.Inventory inventory) {
    String operator = operator();
    Answerer answerer =
        Answers.given(flagAnswers, "--answer", operator)
            .orElse(Answers.given(fileAnswers, "answers-file", operator))
            .orElse(new TerminalAnswerer(operator, Glyphs.forConsole()));
    boolean fsync = !"off".equals(System.getenv("RUNBOOK_FSYNC"));
    return new RunOptions(
        stateDir,
        operator,
        osUser(),
        machine(),
        Version.current(),
        Clock.systemUTC(),
        Sleeper.REAL,
        answerer,
        lockWait == null ? Duration.ZERO : lockWait,
        fsync,
        inventory);
  }

  /**
   * Prints how the run stopped and what to do next (the exact resume command, with the secret
   * parameters it needs again); returns the documented exit code.
   */
  static int finish(
      RunResult result, Runbook runbook, Path stateDir, PrintWriter out, PrintWriter err) {
    Path trail = stateDir.resolve("runs").resolve(result.runId());
    String secrets = secretsAgain(runbook);
    if (result.paused() && result.message().startsWith("stopped by a signal")) {
      err.println(
          "The run was stopped (Ctrl-C or SIGTERM) and its steps' processes with it; the step that"
              + " was running is in doubt. Continue it with:");
      err.println("  runbook resume " + result.runId() + secrets);
      err.println("Trail: " + trail);
      return ExitCodes.PAUSED;
    }
    if (result.paused()) {
      String stepId =
          result
              .pausedAt()
              .replaceAll(".*/", "")
              .replaceAll("@\\d+$", "")
              .replaceAll("\\[\\d+\\]$", "");
      err.println("The run is paused, waiting for a person. Continue it with:");
      boolean yesNo = result.accepted() == null || result.accepted().equals("yes or no");
      err.println(
          "  runbook resume "
              + result.runId()
              + " --answer "
              + stepId
              + (yesNo ? "=yes" : "=ANSWER")
              + secrets
              + (yesNo ? "   (or =no)" : "   (ANSWER: " + result.accepted() + ")"));
      err.println("Trail: " + trail);
      return ExitCodes.PAUSED;
    }
    out.println("Trail: " + trail + "   (runbook audit show " + result.runId() + ")");
    if (result.outcome() == Outcome.FAILED
        && result.message() != null
        && result.message().contains("no value for ")) {
      err.println("A value was missing. Give it and run the failed step again with:");
      err.println("  runbook resume " + result.runId() + " --retry-failed -p NAME=VALUE" + secrets);
    }
    return switch (result.outcome()) {
      case RESOLVED -> ExitCodes.OK;
      case ESCALATED -> ExitCodes.ESCALATED;
      case FAILED -> ExitCodes.FAILED;
    };
  }

  /**
   * The resume flags for the secret parameters, which are never recorded and must be given again.
   */
  static String secretsAgain(Runbook runbook) {
    StringBuilder flags = new StringBuilder();
    for (ParamSpec spec : runbook.params().values()) {
      if (spec.secret()) {
        flags.append(" -p ").append(spec.name()).append("=@FILE");
      }
    }
    return flags.length() == 0
        ? ""
        : flags
            + " (secrets are never recorded: give them again, or set "
            + runbook.params().values().stream()
                .filter(ParamSpec::secret)
                .map(ParamInput::envName)
                .collect(java.util.stream.Collectors.joining(", "))
            + ")";
  }

  /**
   * Checks the settings of every transport the runbook's targets use, before anything runs: a
   * mistake ({@code RUNBOOK_SSH_CONNECT_TIMEOUT=abc}) is a usage error naming the setting.
   */
  static void checkSettings(dev.runbook.engine.plugin.PluginRegistry plugins, Runbook runbook) {
    java.util.Set<String> kinds = new java.util.TreeSet<>();
    kinds.add(dev.runbook.engine.model.TargetSpec.LOCAL);
    runbook.targets().values().forEach(t -> kinds.add(t.kind()));
    for (String kind : kinds) {
      try {
        plugins.transport(kind).ifPresent(dev.runbook.api.TransportProvider::checkSettings);
      } catch (dev.runbook.api.SettingException e) {
        throw new UserException(ExitCodes.USAGE, e.getMessage());
      }
    }
  }

  /** Runs a run or a resume under {@link StopOnSignal}, rethrowing its exceptions as they are. */
  static RunResult guarded(java.util.concurrent.Callable<RunResult> run)
      throws java.io.IOException,
          InterruptedException,
          LockHeldException,
          dev.runbook.engine.execute.RunEngine.ResumeRefused {
    try {
      return StopOnSignal.guard(run);
    } catch (java.io.IOException
        | InterruptedException
        | LockHeldException
        | dev.runbook.engine.execute.RunEngine.ResumeRefused
        | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The listener, telling {@link StopOnSignal} the run's id when it starts. */
  static dev.runbook.engine.execute.RunListener noticing(
      dev.runbook.engine.execute.RunListener listener) {
    return new dev.runbook.engine.execute.RunListener() {
      @Override
      public void recorded(dev.runbook.engine.audit.AuditEvent event, String line) {
        if (event instanceof dev.runbook.engine.audit.AuditEvent.RunStarted s) {
          StopOnSignal.started(s.runId());
        }
        listener.recorded(event, line);
      }

      @Override
      public void output(String step, boolean stderr, String line) {
        listener.output(step, stderr, line);
      }

      @Override
      public void progress(String step, String text) {
        listener.progress(step, text);
      }
    };
  }

  /** A run by id or unique prefix; an empty or odd id is a usage error, not a path. */
  static dev.runbook.engine.audit.RunDirectory findRun(Path stateDir, String runId) {
    if (runId == null || !runId.matches("[0-9A-Za-z][0-9A-Za-z-]*")) {
      throw new UserException(
          ExitCodes.USAGE,
          "'"
              + (runId == null ? "" : runId)
              + "' is not a run id (like 20261122-031502-4f2a); 'runbook audit list' shows the runs");
    }
    try {
      return dev.runbook.engine.audit.RunDirectory.find(stateDir, runId);
    } catch (java.io.IOException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
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
