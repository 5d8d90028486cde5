package dev.runbook.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run: either an argv (run directly, no shell) or a script line (run by {@code /bin/sh
 * -c}, its interpolated values already quoted by the engine).
 *
 * @param argv the program and its arguments; empty when {@code script} is set
 * @param script a shell line; null when {@code argv} is set
 * @param environment extra environment variables
 * @param workingDirectory where to run it; null for the transport's default
 */
public record CommandSpec(
    List<String> argv, String script, Map<String, String> environment, String workingDirectory) {

  public CommandSpec {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
    if (argv.isEmpty() == (script == null)) {
      throw new IllegalArgumentException("give exactly one of argv and script");
    }
  }

  public static CommandSpec argv(List<String> argv) {
    return new CommandSpec(argv, null, Map.of(), null);
  }

  public static CommandSpec script(String script) {
    return new CommandSpec(List.of(), Objects.requireNonNull(script, "script"), Map.of(), null);
  }

  public CommandSpec withEnvironment(Map<String, String> env) {
    return new CommandSpec(argv, script, env, workingDirectory);
  }

  public CommandSpec inDirectory(String directory) {
    return new CommandSpec(argv, script, environment, directory);
  }

  /** The command as one shell line, argv words quoted: what a person would type. */
  public String render() {
    return script != null ? script : ShellQuoting.join(argv);
  }
}
