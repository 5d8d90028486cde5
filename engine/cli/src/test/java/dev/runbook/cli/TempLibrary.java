package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A runbook library and a state directory of a test's own, in a temporary directory: runbooks are
 * written into it, the CLI runs in-process against both, and the trail of the only (or latest) run
 * can be read back as events.
 */
final class TempLibrary {

  final Path root;
  final Path runbooks;
  final Path state;

  TempLibrary(Path root) {
    this.root = root;
    this.runbooks = root.resolve("runbooks");
    this.state = root.resolve("state");
    try {
      Files.createDirectories(runbooks);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a runbook file; returns its path. */
  Path write(String fileName, String yaml) {
    try {
      return Files.writeString(runbooks.resolve(fileName), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CLI with this library and state directory. */
  Cli cli(String... args) {
    return command().with(args).inProcess();
  }

  /** {@code --state-dir … --runbooks …}, for a test to add a command to. */
  CliRun command() {
    return CliRun.state(state).runbooks(runbooks);
  }

  /** The CLI with this state directory and no --runbooks (the installed library). */
  Cli cliWithoutLibrary(String... args) {
    return CliRun.state(state).with(args).inProcess();
  }

  List<RunDirectory> runs() {
    Path dir = state.resolve("runs");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().map(p -> new RunDirectory(p.getFileName().toString(), p)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RunDirectory lastRun() {
    List<RunDirectory> runs = runs();
    if (runs.isEmpty()) {
      throw new AssertionError("no run in " + state);
    }
    return runs.get(runs.size() - 1);
  }

  List<AuditEvent> events() {
    try {
      return AuditTrail.read(lastRun()).events();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The events of the run a command printed ({@code RUN <id>} on its first line). */
  List<AuditEvent> eventsOf(Cli cli) {
    String runId = cli.out().lines().findFirst().orElse("").replaceAll("^RUN (\\S+).*", "$1");
    try {
      return AuditTrail.read(new RunDirectory(runId, state.resolve("runs").resolve(runId)))
          .events();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  <T extends AuditEvent> List<T> events(Class<T> type) {
    return events().stream().filter(type::isInstance).map(type::cast).toList();
  }
}
