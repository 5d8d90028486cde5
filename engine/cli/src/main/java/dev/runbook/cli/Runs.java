package dev.runbook.cli;

import dev.runbook.engine.Refused;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunRequest;
import dev.runbook.engine.RunResult;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** What `run` and `resume` share: who runs, stopping on a signal, and the exit code of a result. */
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

  static RunRequest.Operator who() {
    return new RunRequest.Operator(operator(), osUser());
  }

  static String machine() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String host = System.getenv("HOSTNAME");
      return host == null ? "unknown" : host;
    }
  }

  /** Runs a run or a resume under {@link StopOnSignal}, rethrowing its exceptions as they are. */
  static RunResult guarded(Callable<RunResult> run)
      throws Refused, IOException, InterruptedException {
    try {
      return StopOnSignal.guard(run);
    } catch (Refused | IOException | InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The listener, telling {@link StopOnSignal} the run's id when it starts. */
  static RunListener noticing(RunListener listener) {
    return new RunListener() {
      @Override
      public void recorded(AuditEvent event, String line) {
        if (event instanceof AuditEvent.RunStarted s) {
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
                .map(SecretInput::variable)
                .collect(Collectors.joining(", "))
            + ")";
  }
}
