package dev.runbook.plugins.kubectl;

import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.FailureKind;
import dev.runbook.api.OutputSink;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs kubectl on the engine's own machine: the transport of {@code kubectl} targets without {@code
 * via}; files are read and written there too. Commands run as argv with {@link ProcessBuilder} (a
 * script line through {@code /bin/sh -c}), with no standard input; output streams line by line; on
 * timeout or interrupt the whole process tree is killed, descendants first.
 *
 * <p>A program name without a slash is looked up on the {@code PATH} the command will run with (the
 * JDK would use the engine's own), so a step's environment can choose the binary.
 */
final class ProcessTransport implements Transport {

  static final int CAP = 1 << 20;
  private static final Duration GRACE = Duration.ofSeconds(2);

  private final Map<String, String> environment;

  /**
   * @param environment variables added to the engine's own for every command
   */
  ProcessTransport(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String describe() {
    return "local";
  }

  @Override
  public CommandResult run(CommandSpec spec, OutputSink sink, Duration timeout)
      throws TransportException, InterruptedException {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(environment);
    env.putAll(spec.environment());
    List<String> command = new ArrayList<>(command(spec));
    command.set(0, resolve(command.get(0), env.get("PATH")));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    if (spec.workingDirectory() != null) {
      builder.directory(new File(spec.workingDirectory()));
    }
    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new TransportException(
          FailureKind.CONFIG, "cannot start " + command.get(0) + ": " + cause(e), e);
    }
    try {
      process.getOutputStream().close(); // no input: a command that reads stdin sees its end
    } catch (IOException e) {
      // the process is already gone; its exit status tells the rest
    }
    LinePump out = LinePump.start(process.getInputStream(), sink::stdout, CAP, "kubectl-stdout");
    LinePump err = LinePump.start(process.getErrorStream(), sink::stderr, CAP, "kubectl-stderr");
    boolean ended;
    try {
      ended =
          timeout == null
              ? waitFor(process)
              : process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    }
    if (!ended) {
      killTree(process);
      throw new TransportException(
          FailureKind.TIMEOUT,
          "still running after " + timeout.toSeconds() + "s; stopped it and its children");
    }
    out.await(GRACE);
    err.await(GRACE);
    return new CommandResult(
        process.exitValue(),
        out.text(),
        err.text(),
        out.truncated() || err.truncated(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static boolean waitFor(Process process) throws InterruptedException {
    process.waitFor();
    return true;
  }

  private static List<String> command(CommandSpec spec) {
    return spec.script() != null ? List.of("/bin/sh", "-c", spec.script()) : spec.argv();
  }

  /** The program found on {@code path}, or the name unchanged (starting it then fails). */
  static String resolve(String program, String path) {
    if (program.contains("/") || path == null) {
      return program;
    }
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return program;
  }

  private static String cause(IOException e) {
    String message = String.valueOf(e.getMessage());
    // "Cannot run program "x": error=2, No such file or directory" → "No such file or directory"
    int comma = message.lastIndexOf(", ");
    return comma >= 0 && message.contains("error=") ? message.substring(comma + 2) : message;
  }

  /** Kills the process and every descendant, and waits (bounded) until they are gone. */
  static void killTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        // best effort: a process that ignores SIGKILL is beyond our reach
      }
    }
  }

  @Override
  public byte[] readFile(String path) throws TransportException {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new TransportException(FailureKind.NOT_FOUND, "no file " + path, e);
    } catch (IOException e) {
      throw new TransportException(
          FailureKind.PLUGIN_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void writeFile(String path, byte[] content, int mode) throws TransportException {
    Path target = Path.of(path).toAbsolutePath();
    try {
      Path temp = Files.createTempFile(target.getParent(), ".runbook-", ".tmp");
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(permissions(mode)));
      Files.write(temp, content);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TransportException(
          FailureKind.PLUGIN_ERROR, "cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** {@code 0640} as {@code rw-r-----}. */
  static String permissions(int mode) {
    StringBuilder text = new StringBuilder();
    for (int shift = 6; shift >= 0; shift -= 3) {
      int bits = (mode >> shift) & 7;
      text.append((bits & 4) != 0 ? 'r' : '-')
          .append((bits & 2) != 0 ? 'w' : '-')
          .append((bits & 1) != 0 ? 'x' : '-');
    }
    return text.toString();
  }

  @Override
  public void close() {}
}
