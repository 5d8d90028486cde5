package dev.runbook.cli;

import dev.runbook.fixtures.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command of the CLI as a test gives it, built the same way everywhere: {@code --state-dir
 * STATE --runbooks DIR run RUNBOOK -p NAME=VALUE --answer STEP=VALUE …}; then run in this JVM
 * ({@link #inProcess}) or in a child JVM with its own environment ({@link #inChild}, {@link
 * #start}: kubectl's cache and the SSH settings come from the environment, and a child can be
 * killed). Immutable: a test keeps a base ({@code CliRun.state(s).library().run("X")}) and adds to
 * it per case.
 *
 * @param args the arguments, in order
 * @param environment what a child JVM gets on top of this JVM's environment
 */
record CliRun(List<String> args, Map<String, String> environment) {

  /** How long a child's command may take unless told otherwise. */
  static final Duration DEADLINE = Duration.ofSeconds(120);

  CliRun {
    args = List.copyOf(args);
    environment = Map.copyOf(environment);
  }

  /** What a command run in a child JVM printed and how it exited. */
  record Finished(int exitCode, String stdout, String stderr) {
    /** Both streams, for assertions that do not care which. */
    String terminal() {
      return stdout + stderr;
    }
  }

  /** A command with this state directory. */
  static CliRun state(Path state) {
    return new CliRun(List.of("--state-dir", state.toString()), Map.of());
  }

  /** A command with no global option yet. */
  static CliRun bare() {
    return new CliRun(List.of(), Map.of());
  }

  /** Runbooks from {@code dir}. */
  CliRun runbooks(Path dir) {
    return with("--runbooks", dir.toString());
  }

  /** Runbooks from the repository's library. */
  CliRun library() {
    return runbooks(Cli.LIBRARY);
  }

  CliRun inventory(Path file) {
    return with("--inventory", file.toString());
  }

  /** {@code run RUNBOOK}. */
  CliRun run(String runbook) {
    return with("run", runbook);
  }

  /** {@code resume RUN}. */
  CliRun resume(String runId) {
    return with("resume", runId);
  }

  /** {@code -p NAME=VALUE}. */
  CliRun param(String name, Object value) {
    return with("-p", name + "=" + value);
  }

  /** {@code --answer STEP=VALUE}. */
  CliRun answer(String step, String value) {
    return with("--answer", step + "=" + value);
  }

  /** More arguments, as given. */
  CliRun with(String... more) {
    return with(List.of(more));
  }

  CliRun with(List<String> more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(more);
    return new CliRun(all, environment);
  }

  /** A variable of a child JVM's environment. */
  CliRun env(String name, String value) {
    return env(Map.of(name, value));
  }

  CliRun env(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(environment);
    all.putAll(more);
    return new CliRun(args, all);
  }

  /** Runs the command in this JVM and captures what it prints. */
  Cli inProcess() {
    return Cli.runRaw(args.toArray(String[]::new));
  }

  /** Starts the command in a child JVM (its output in files under {@code logDir}). */
  ChildJvm start(Path logDir) throws IOException {
    return ChildJvm.start(Main.class, logDir, args, environment);
  }

  /** Runs the command in a child JVM to its end, at most {@link #DEADLINE}. */
  Finished inChild(Path logDir) throws IOException, InterruptedException {
    try (ChildJvm child = start(logDir)) {
      int exit = child.waitFor(DEADLINE);
      return new Finished(exit, Files.readString(child.stdout()), Files.readString(child.stderr()));
    }
  }
}
