package dev.runbook.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run: either an argv (run directly, no shell) or a script line (run by {@code /bin/sh
 * -c}, its interpolated values passed as environment variables: {@link ShellScript}).
 *
 * @param argv the program and its arguments; empty when {@code script} is set
 * @param script a shell line; null when {@code argv} is set
 * @param environment extra environment variables; a transport never puts them on a command line
 * @param workingDirectory where to run it; null for the transport's default
 * @param holdFiles lock files (on the engine's machine) that the command's processes hold a shared
 *     lock on for as long as any of them lives, so that a run's lock outlives the engine if it is
 *     killed while a step still runs; a transport whose processes run elsewhere ignores them
 */
public record CommandSpec(
    List<String> argv,
    String script,
    Map<String, String> environment,
    String workingDirectory,
    List<String> holdFiles) {

  public CommandSpec {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
    holdFiles = List.copyOf(holdFiles);
    if (argv.isEmpty() == (script == null)) {
      throw new IllegalArgumentException("give exactly one of argv and script");
    }
  }

  public CommandSpec(
      List<String> argv, String script, Map<String, String> environment, String workingDirectory) {
    this(argv, script, environment, workingDirectory, List.of());
  }

  public static CommandSpec argv(List<String> argv) {
    return new CommandSpec(argv, null, Map.of(), null);
  }

  public static CommandSpec script(String script) {
    return new CommandSpec(List.of(), Objects.requireNonNull(script, "script"), Map.of(), null);
  }

  public CommandSpec withEnvironment(Map<String, String> env) {
    return new CommandSpec(argv, script, env, workingDirectory, holdFiles);
  }

  public CommandSpec inDirectory(String directory) {
    return new CommandSpec(argv, script, environment, directory, holdFiles);
  }

  /** The same command, its processes holding these lock files while they live. */
  public CommandSpec holding(List<String> files) {
    return new CommandSpec(argv, script, environment, workingDirectory, files);
  }

  /** The command as one shell line, argv words quoted: what a person would type. */
  public String render() {
    return script != null ? script : ShellQuoting.join(argv);
  }
}
