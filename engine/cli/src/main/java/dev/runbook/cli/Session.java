package dev.runbook.cli;

import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.library.RunbookLibrary;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.ParseResult;
import dev.runbook.engine.parse.RunbookParser;
import dev.runbook.engine.plugin.PluginRegistry;
import dev.runbook.engine.validate.RunbookValidator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command needs from the engine, built on first use so that {@code --help} builds nothing
 * and {@code list} never builds CEL.
 */
final class Session {

  private final RunbookCommand root;
  private PluginRegistry plugins;
  private RunbookParser parser;
  private RunbookValidator validator;
  private RunbookLibrary library;
  private dev.runbook.engine.library.Inventory inventory;

  Session(RunbookCommand root) {
    this.root = root;
  }

  PluginRegistry plugins() {
    if (plugins == null) {
      try {
        plugins = PluginRegistry.load(Session.class.getClassLoader());
      } catch (PluginRegistry.PluginConflictException e) {
        throw new UserException(ExitCodes.USAGE, e.getMessage());
      }
    }
    return plugins;
  }

  RunbookParser parser() {
    if (parser == null) {
      parser = new RunbookParser(plugins().descriptors());
    }
    return parser;
  }

  RunbookValidator validator() {
    if (validator == null) {
      validator = new RunbookValidator(plugins(), new Expressions());
    }
    return validator;
  }

  /** The inventory from --inventory or RUNBOOK_INVENTORY, or an empty one. */
  dev.runbook.engine.library.Inventory inventory() {
    if (inventory == null) {
      java.nio.file.Path file = root.inventory;
      String env = System.getenv("RUNBOOK_INVENTORY");
      if (file == null && env != null && !env.isBlank()) {
        file = java.nio.file.Path.of(env);
      }
      try {
        inventory =
            file == null
                ? dev.runbook.engine.library.Inventory.EMPTY
                : dev.runbook.engine.library.Inventory.load(file);
      } catch (dev.runbook.engine.library.Inventory.InventoryException e) {
        throw new UserException(ExitCodes.USAGE, e.getMessage());
      }
    }
    return inventory;
  }

  RunbookLibrary library() {
    if (library == null) {
      library = load(root.libraryPaths());
    }
    return library;
  }

  RunbookLibrary load(List<Path> paths) {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new UserException(ExitCodes.USAGE, "no such file or directory: " + path);
      }
    }
    RunbookLibrary loaded = RunbookLibrary.load(paths, parser());
    if (loaded.results().isEmpty()) {
      throw new UserException(
          ExitCodes.USAGE,
          "no runbook files (*.yaml) in " + paths + "; give --runbooks DIR or set RUNBOOK_PATH");
    }
    return loaded;
  }

  /**
   * The runbook for an id or alarm id, or a usage error that suggests the nearest name. Two
   * runbooks answering to the name are an invalid library (exit 3), naming both files: nothing runs
   * rather than whichever file sorts first.
   */
  ParseResult find(String name) {
    List<ParseResult> found = library().findAll(name);
    if (found.size() > 1) {
      throw new UserException(
          ExitCodes.INVALID_RUNBOOK,
          "'"
              + name
              + "' is claimed by more than one runbook: "
              + String.join(" and ", found.stream().map(r -> r.runbook().file()).toList())
              + "; a runbook id or alarm id must select one runbook (runbook validate shows"
              + " every conflict)");
    }
    if (found.isEmpty()) {
      throw new UserException(
          ExitCodes.USAGE,
          "no runbook answers to '"
              + name
              + "'"
              + library().hint(name)
              + "; 'runbook list' shows every runbook and its alarm ids");
    }
    return found.get(0);
  }

  /**
   * The runbook a run started from: the file its trail names, if it still has the recorded content
   * (whatever --runbooks says now); else a runbook of that id in the library with that content.
   */
  Runbook runbookOf(dev.runbook.engine.audit.AuditEvent.RunStarted started, PrintWriter err)
      throws java.io.IOException {
    Path recorded = Path.of(started.file());
    if (Files.isRegularFile(recorded)) {
      ParseResult result = parser().parse(recorded, started.file());
      if (result.runbook() != null
          && result.runbook().contentHash().equals(started.contentHash())) {
        return requireValid(result, err);
      }
    }
    for (ParseResult result : library().findAll(started.runbook())) {
      if (result.runbook().contentHash().equals(started.contentHash())) {
        return requireValid(result, err);
      }
    }
    throw new UserException(
        ExitCodes.USAGE,
        "runbook "
            + started.runbook()
            + " ("
            + started.file()
            + ") is gone or changed since the run started (sha256 "
            + started.contentHash().substring(0, 12)
            + "…); resume it with the runbook as it was (--runbooks DIR), or start a new run");
  }

  /** Notes about YAML files the library skipped (not runbooks), for list and validate. */
  void printSkipped(PrintWriter err) {
    library().skipped().forEach(note -> err.println("note: " + note));
  }

  /** Every problem of a parsed file: parse problems, then (when it parsed) validation problems. */
  List<Problem> problems(ParseResult result) {
    List<Problem> problems = new ArrayList<>(result.problems());
    if (result.runbook() != null) {
      for (Problem problem : validator().validate(result.runbook())) {
        if (!problems.contains(problem)) {
          problems.add(problem);
        }
      }
    }
    problems.sort(Problem.BY_POSITION);
    return problems;
  }

  /** The runbook, valid, or every problem printed and exit code 3. */
  Runbook requireValid(String name, PrintWriter err) {
    return requireValid(find(name), err);
  }

  Runbook requireValid(ParseResult result, PrintWriter err) {
    List<Problem> problems = problems(result);
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      throw new UserException(
          ExitCodes.INVALID_RUNBOOK,
          result.runbook().file()
              + " has "
              + count(problems.size(), "problem")
              + "; fix "
              + (problems.size() == 1 ? "it" : "them")
              + " first (runbook validate "
              + result.runbook().file()
              + ")");
    }
    return result.runbook();
  }

  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
