package dev.runbook.cli;

import dev.runbook.engine.Refused;
import dev.runbook.engine.audit.SigningKey;
import java.util.List;
import picocli.CommandLine;

/** The {@code runbook} command. Nothing heavy is built before the arguments are parsed. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // Linux's default since JDK 12 starts each process through a helper program (posix_spawn, then
    // two execs); vfork execs once: /bin/true costs ~1.1 ms instead of ~1.9 ms here, and a runbook
    // of local commands pays that on every step.
    if (System.getProperty(LAUNCH_MECHANISM) == null) {
      System.setProperty(LAUNCH_MECHANISM, "VFORK");
    }
    if (HelpTexts.print(args, System.out)) {
      System.exit(0);
    }
    int exit;
    try {
      exit = run(args);
    } catch (StackOverflowError | OutOfMemoryError e) {
      // picocli passes Errors through; at 3 a.m. they still get one line, not a stack trace.
      System.err.println(
          "runbook: internal error: "
              + e
              + " (this is a bug in runbook; run again with --debug for the stack trace)");
      if (List.of(args).contains("--debug")) {
        e.printStackTrace();
      }
      exit = ExitCodes.INTERNAL;
    }
    if (StopOnSignal.stopping()) {
      return; // a signal is ending the process: its shutdown hook finishes, then the JVM exits
    }
    System.exit(exit);
  }

  private static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

  /** Runs the command line and returns its exit code; used by tests in-process. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new RunbookCommand());
    cli.setExecutionExceptionHandler(Main::handleException);
    cli.setParameterExceptionHandler(Main::handleParameterException);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  private static int handleException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    boolean debug =
        parsed.hasMatchedOption("--debug")
            || (parsed.commandSpec().root() != null
                && cli.getCommandSpec().root().userObject() instanceof RunbookCommand root
                && root.debug);
    if (e instanceof Refused refused) {
      refused.problems().forEach(cli.getErr()::println);
      for (String line : refused.getMessage().split("\n")) {
        cli.getErr().println("runbook: " + line);
      }
      if (debug) {
        e.printStackTrace(cli.getErr());
      }
      return ExitCodes.of(refused.reason());
    }
    if (e instanceof SigningKey.Unusable key) {
      cli.getErr().println("runbook: " + key.getMessage());
      return ExitCodes.USAGE;
    }
    if (e instanceof UserException user) {
      cli.getErr().println("runbook: " + user.getMessage());
      if (debug) {
        e.printStackTrace(cli.getErr());
      }
      return user.exitCode();
    }
    cli.getErr().println("runbook: internal error: " + e);
    if (debug) {
      e.printStackTrace(cli.getErr());
    } else {
      cli.getErr()
          .println("(this is a bug in runbook; run again with --debug for the stack trace)");
    }
    return ExitCodes.INTERNAL;
  }

  private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    cli.getErr().println("runbook: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr());
    cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help'.");
    return ExitCodes.USAGE;
  }
}
