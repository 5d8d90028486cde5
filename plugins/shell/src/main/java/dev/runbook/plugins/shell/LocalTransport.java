package dev.runbook.plugins.shell;

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
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.Executor;

/**
 * Runs commands on this machine with Apache Commons Exec.
 *
 * <p>Each command runs in a session of its own ({@code setsid}), and on timeout or interrupt every
 * process of that session is killed: also children that double-forked away from the shell (they
 * keep its session), not just the direct child as Commons Exec's watchdog would. A signal to the
 * engine (Ctrl-C at the terminal) does not reach the step's processes by itself; the engine stops
 * them and records it.
 *
 * <p>A command given {@link CommandSpec#holdFiles()} runs under {@code flock -s} on each, so its
 * processes hold those locks for as long as they live, even if the engine is killed.
 *
 * <p>Public so that test fixtures can give other plugins' tests the real local transport.
 */
public final class LocalTransport implements Transport {

  private static final Duration KILL_GRACE = Duration.ofSeconds(2);

  public LocalTransport() {}

  @Override
  public String describe() {
    return "local";
  }

  @Override
  public CommandResult run(CommandSpec spec, OutputSink sink, Duration timeout)
      throws TransportException, InterruptedException {
    if (spec.script() == null) {
      startable(spec);
    }
    CommandLine line = commandLine(spec);
    CappedLines out = new CappedLines(sink, OutputSink::stdout, CappedLines.DEFAULT_CAP);
    CappedLines err = new CappedLines(sink, OutputSink::stderr, CappedLines.DEFAULT_CAP);
    CompletableFuture<Process> process = new CompletableFuture<>();
    DefaultExecutor executor = new ProcessCapturingExecutor(process);
    executor.setStreamHandler(new OutputPumps(out, err));
    executor.setExitValues(null); // every exit status is a result, not an exception
    if (spec.workingDirectory() != null) {
      executor.setWorkingDirectory(new File(spec.workingDirectory()));
    }
    Map<String, String> environment = inherited(System.getenv());
    environment.putAll(spec.environment());
    CompletionLatch handler = new CompletionLatch();
    long start = System.nanoTime();
    try {
      executor.execute(line, environment, handler);
    } catch (IOException e) {
      throw new TransportException(
          FailureKind.CONFIG, "cannot start " + line.getExecutable() + ": " + why(e), e);
    }
    boolean ended;
    try {
      ended = handler.await(timeout);
    } catch (InterruptedException e) {
      killTree(launched(process));
      throw e;
    }
    if (!ended) {
      killTree(launched(process));
      handler.await(KILL_GRACE);
      throw new TransportException(
          FailureKind.TIMEOUT,
          "still running after " + readable(timeout) + "; stopped it and its children");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // Commons Exec reports a process that never started (no such program) with this exit value.
    ExecuteException failure = handler.failure();
    if (failure != null && failure.getExitValue() == Executor.INVALID_EXITVALUE) {
      throw new TransportException(
          FailureKind.CONFIG,
          "cannot start " + line.getExecutable() + ": " + why(failure),
          failure);
    }
    return new CommandResult(
        handler.exitValue(), out.text(), err.text(), out.truncated() || err.truncated(), took);
  }

  /**
   * The engine's environment as a step's process inherits it: without the engine's own secrets
   * ({@code RUNBOOK_SECRET_*}), which a step receives only as the values it references.
   */
  static Map<String, String> inherited(Map<String, String> engine) {
    Map<String, String> environment = new HashMap<>();
    engine.forEach(
        (name, value) -> {
          if (!name.startsWith(SECRET_PREFIX)) {
            environment.put(name, value);
          }
        });
    return environment;
  }

  private static final String SECRET_PREFIX = "RUNBOOK_SECRET_";

  private static CommandLine commandLine(CommandSpec spec) {
    List<String> words = new ArrayList<>();
    if (SessionTools.SETSID != null) {
      words.add(SessionTools.SETSID);
    }
    if (SessionTools.FLOCK != null) {
      for (String file : spec.holdFiles()) {
        words.addAll(List.of(SessionTools.FLOCK, "-s", file));
      }
    }
    if (spec.script() != null) {
      words.addAll(List.of("/bin/sh", "-c", spec.script()));
    } else {
      List<String> argv = spec.argv();
      words.add(program(argv.get(0), spec.environment().get("PATH")));
      words.addAll(argv.subList(1, argv.size()));
    }
    CommandLine line = new CommandLine(words.get(0));
    for (String word : words.subList(1, words.size())) {
      line.addArgument(word, false);
    }
    return line;
  }

  /**
   * Refuses an argv whose program cannot be started, with the system's reason, before wrapping it
   * in {@code setsid}: a missing program is a configuration problem, not a command that failed.
   */
  private static void startable(CommandSpec spec) throws TransportException {
    String name = spec.argv().get(0);
    String resolved = program(name, spec.environment().getOrDefault("PATH", System.getenv("PATH")));
    Path file = Path.of(resolved);
    if (!file.isAbsolute() && spec.workingDirectory() != null) {
      file = Path.of(spec.workingDirectory()).resolve(file);
    }
    if (!resolved.contains("/") || !Files.exists(file)) {
      throw new TransportException(
          FailureKind.CONFIG, "cannot start " + name + ": No such file or directory");
    }
    if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
      throw new TransportException(
          FailureKind.CONFIG, "cannot start " + name + ": Permission denied");
    }
  }

  /**
   * The program to start. The JDK looks a bare name up on the engine's own {@code PATH}; a command
   * whose environment sets {@code PATH} means its own, as a shell would, so the first executable of
   * that name on it is the one started.
   */
  static String program(String name, String path) {
    if (path == null || name.contains("/")) {
      return name;
    }
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return name;
  }

  /**
   * Why a program did not start, as the system said it ({@code No such file or directory}), not as
   * Commons Exec wraps it ({@code Execution failed (Exit value: -559038737)}).
   */
  static String why(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      int errno = message == null ? -1 : message.indexOf("error=");
      if (errno >= 0 && message.indexOf(", ", errno) > 0) {
        return message.substring(message.indexOf(", ", errno) + 2);
      }
    }
    return failure.getMessage();
  }

  /** {@code 300 ms}, {@code 5 s}: a timeout as a person reads it. */
  static String readable(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /**
   * Kills every process of the command's session (its own, when {@code setsid} started it) and
   * every descendant, and waits (bounded) until they are gone.
   */
  static void killTree(Process process) {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
    if (SessionTools.SETSID != null) {
      for (ProcessHandle member : SessionTools.session(process.pid())) {
        if (!tree.contains(member)) {
          tree.add(member);
        }
      }
    }
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + KILL_GRACE.toNanos();
    for (ProcessHandle handle : tree) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
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
    Path target = Path.of(path);
    try {
      Path dir = target.toAbsolutePath().getParent();
      Path temp = Files.createTempFile(dir, ".runbook-", ".tmp");
      Files.setPosixFilePermissions(temp, permissions(mode));
      Files.write(temp, content);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TransportException(
          FailureKind.PLUGIN_ERROR, "cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    return perms;
  }

  @Override
  public void close() {}

  /**
   * The launched process, waited for (bounded) when it is not known yet: Commons Exec launches on a
   * thread of its own, and a signal can come after the command has started (it may even have
   * written its first output) but before that thread has handed the process over. Without the wait,
   * an interrupt then would leave the command running (seen: SIGTERM right after a step began left
   * its {@code sleep} running).
   */
  private static Process launched(CompletableFuture<Process> process) {
    boolean interrupted = Thread.interrupted();
    try {
      return process.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
      return process.getNow(null);
    } catch (ExecutionException | TimeoutException e) {
      return process.getNow(null); // never launched: nothing to kill
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Keeps the launched {@link Process} so that a timeout can kill its whole tree. */
  private static final class ProcessCapturingExecutor extends DefaultExecutor {
    private final CompletableFuture<Process> process;

    @SuppressWarnings("deprecation") // the builder cannot make a subclass
    ProcessCapturingExecutor(CompletableFuture<Process> process) {
      super();
      this.process = process;
    }

    // Commons Exec 1.5 launches through the Path overload; older versions through the File one.
    @Override
    protected Process launch(CommandLine command, Map<String, String> env, Path dir)
        throws IOException {
      return handOver(() -> super.launch(command, env, dir));
    }

    @Override
    protected Process launch(CommandLine command, Map<String, String> env, File dir)
        throws IOException {
      return handOver(() -> super.launch(command, env, dir));
    }

    private interface Launch {
      Process start() throws IOException;
    }

    /** Launches, and hands the process (or the failure to start it) to whoever waits for it. */
    private Process handOver(Launch launch) throws IOException {
      try {
        Process launched = launch.start();
        process.complete(launched);
        return launched;
      } catch (IOException | RuntimeException e) {
        process.completeExceptionally(e);
        throw e;
      }
    }
  }
}
