package dev.runbook.cli;

import dev.runbook.engine.store.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level command and the options every subcommand shares. */
@Command(
    name = "runbook",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Run vendor alarm procedures as audited, declarative runbooks.",
      "",
      "  runbook run ALM-45654 --dry-run -p HostName=node-1   see what would run",
      "  runbook run ALM-45654 -p HostName=node-1             run it",
      "  runbook validate                                     check every runbook",
      "  runbook audit show RUN                               what a run did, and why",
      "  runbook serve                                        run runbooks when alerts arrive",
      "  runbook demo                                         run ALM-45654 for real",
      "  runbook import docs/ -o runbooks/new                 documents to runbooks",
      ""
    },
    subcommands = {
      ListCommand.class,
      ShowCommand.class,
      ValidateCommand.class,
      RunCommand.class,
      ResumeCommand.class,
      ServeCommand.class,
      ApproveCommand.class,
      AnswerCommand.class,
      DemoCommand.class,
      AuditCommand.class,
      GraphCommand.class,
      ActionsCommand.class,
      ImportCommand.class,
      CompletionCommand.class,
      picocli.CommandLine.HelpCommand.class
    },
    footer = {"", ExitCodes.HELP, "Docs: docs/runbook-format.md, docs/cli.md"})
public final class RunbookCommand implements Runnable {

  @Option(
      names = {"--runbooks"},
      paramLabel = "PATH",
      description =
          "Where runbooks are (directory or file; repeatable). Default: $RUNBOOK_PATH, else the runbooks shipped with runbook.")
  List<Path> runbookPaths = new ArrayList<>();

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where runs and their audit trails are kept. Default: $RUNBOOK_HOME, else ~/.local/state/runbook.")
  Path stateDir;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description =
          "Keep runs in a shared store: postgresql://USER@HOST:PORT/DB (password: $PGPASSWORD). Default: $RUNBOOK_STORE, else the state directory.")
  String store;

  @Option(
      names = "--inventory",
      paramLabel = "FILE",
      description =
          "Hosts and host groups (YAML); -p Hosts=@group expands a group. Default: $RUNBOOK_INVENTORY.")
  Path inventory;

  @Option(names = "--debug", description = "Show stack traces of errors.")
  boolean debug;

  @Option(
      names = {"-v", "--verbose"},
      description =
          "Show diagnostics: SSH negotiation and authentication, kubectl's requests, every step's"
              + " end.")
  void verbose(boolean on) {
    if (on) {
      Verbosity.enable();
    }
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The state directory: --state-dir, else RUNBOOK_HOME, else XDG_STATE_HOME/runbook, else
   * ~/.local/state/runbook.
   */
  Path stateDirectory() {
    Path dir = chosenStateDirectory();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserException(
          ExitCodes.USAGE,
          "the state directory " + dir + " is a file, not a directory (--state-dir, RUNBOOK_HOME)");
    }
    return dir;
  }

  private Path chosenStateDirectory() {
    if (stateDir != null) {
      return stateDir;
    }
    String home = System.getenv("RUNBOOK_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "runbook");
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "runbook");
  }

  /** The shared store: --store, else RUNBOOK_STORE, else none (the state directory). */
  StoreUrl storeUrl() {
    String text = store != null ? store : System.getenv("RUNBOOK_STORE");
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return StoreUrl.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** The inventory file: --inventory, else RUNBOOK_INVENTORY, else none. */
  Path inventoryFile() {
    if (inventory != null) {
      return inventory;
    }
    String env = System.getenv("RUNBOOK_INVENTORY");
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  /** The runbook search path: --runbooks, else RUNBOOK_PATH, else the installed library. */
  List<Path> libraryPaths() {
    if (!runbookPaths.isEmpty()) {
      return runbookPaths;
    }
    String env = System.getenv("RUNBOOK_PATH");
    List<Path> paths = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      for (String part : env.split(":")) {
        if (!part.isBlank()) {
          paths.add(Path.of(part));
        }
      }
      return paths;
    }
    String installed = System.getProperty("runbook.library");
    paths.add(Path.of(installed != null ? installed : "runbooks"));
    return paths;
  }
}
