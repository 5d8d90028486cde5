package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.Processes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine as a process of its own, the way an operator's shell starts it: killed with SIGKILL or
 * SIGTERM mid-step, started under umask 000 or LC_ALL=C, with secrets and an operator name in its
 * environment. Every process a test starts is ended by PID.
 */
class EngineProcessIT {

  @TempDir Path tmp;
  private TempLibrary lib;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void setUp() {
    lib = new TempLibrary(tmp);
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process process : started) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts the CLI in its own JVM: {@code sh -c 'umask U; exec java … Main ARGS'}. */
  private Process engine(Map<String, String> env, String umask, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "/bin/sh",
                "-c",
                "umask " + umask + "; exec \"$@\"",
                "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Drunbook.tty=off",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--state-dir",
                lib.state.toString(),
                "--runbooks",
                lib.runbooks.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectInput(new File("/dev/null"));
    builder.redirectOutput(tmp.resolve("out-" + started.size()).toFile());
    builder.redirectError(tmp.resolve("err-" + started.size()).toFile());
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private String out(int index) throws IOException {
    return Files.readString(tmp.resolve("out-" + index));
  }

  private String err(int index) throws IOException {
    return Files.readString(tmp.resolve("err-" + index));
  }

  private static int exit(Process process) throws InterruptedException {
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the engine ended").isTrue();
    return process.exitValue();
  }

  private static long pidIn(Path file) {
    Eventually.within(Duration.ofSeconds(20), file + " to name a pid", () -> readable(file));
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean readable(Path file) {
    try {
      return Files.readString(file).strip().matches("\\d+");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean alive(long pid) {
    return Processes.isRunning(pid);
  }

  @Test
  void aKilledEnginesLockIsHeldUntilItsStepsProcessesEnd() throws Exception {
    Path pid = tmp.resolve("step.pid");
    Path release = tmp.resolve("release");
    Path done = tmp.resolve("done");
    lib.write(
        "change.yaml",
        """
        runbook: CHANGE
        title: A change that must not run twice at once
        lock: change/${params.Host}
        params:
          Host: {type: host, required: true}
        steps:
          - id: change
            shell: 'echo $$ > %s; while [ ! -e %s ]; do sleep 0.05; done; echo x >> %s'
            timeout: 1m
        """
            .formatted(pid, release, done));
    Process first = engine(Map.of(), "022", "run", "CHANGE", "-p", "Host=node-1");
    long step = pidIn(pid);
    first.destroyForcibly(); // SIGKILL: the kernel drops the engine's own lock at once
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(alive(step)).as("the step outlives its engine").isTrue();

    Cli second = lib.cli("run", "CHANGE", "-p", "Host=NODE-1");
    assertThat(second.exitCode()).as(second.err()).isEqualTo(ExitCodes.LOCKED);
    assertThat(second.err())
        .contains("still running (pid")
        .contains("the change they make may still be in progress");
    assertThat(done).doesNotExist();

    Files.writeString(release, "");
    Eventually.within(Duration.ofSeconds(20), "the orphaned step to end", () -> !alive(step));
    Cli third = lib.cli("run", "CHANGE", "-p", "Host=node-1");
    assertThat(third.exitCode()).as(third.out() + third.err()).isZero();
    assertThat(done).content().isEqualTo("x\nx\n");
  }

  @Test
  void sigtermStopsTheStepsProcessGroupAndRecordsTheStop() throws Exception {
    Path pid = tmp.resolve("sleep.pid");
    lib.write(
        "slow.yaml",
        """
        runbook: SLOW
        title: A long step
        steps:
          - {id: long, shell: 'sleep 300 & echo $! > %s; wait', timeout: 10m}
        """
            .formatted(pid));
    Process engine = engine(Map.of(), "022", "run", "SLOW");
    long sleeper = pidIn(pid);
    engine.destroy(); // SIGTERM
    assertThat(exit(engine)).as("128 + SIGTERM, as docs/cli.md says").isEqualTo(143);
    // The signal reaches the group as the engine exits; the child's own exit (and its reaping by
    // init) may come a moment later on a loaded machine: wait for it, bounded.
    Eventually.within(
        Duration.ofSeconds(10), "the step's child to be stopped with it", () -> !alive(sleeper));
    assertThat(err(0)).contains("runbook resume " + lib.lastRun().runId());
    AuditEvent.Paused paused = lib.events(AuditEvent.Paused.class).get(0);
    assertThat(paused.wasStopped()).isTrue();
    assertThat(paused.step()).isEqualTo("long@1");
    assertThat(lib.events(AuditEvent.RunFinished.class)).isEmpty();
  }

  @Test
  void aTimeoutKillsChildrenThatDoubleForkedAwayFromTheShell() throws Exception {
    Path pid = tmp.resolve("daemon.pid");
    lib.write(
        "fork.yaml",
        """
        runbook: FORK
        title: A step whose child escapes its parent
        steps:
          - id: spawn
            shell: "sh -c 'sleep 300 & echo $! > %s' & sleep 300"
            timeout: 2s
        """
            .formatted(pid));
    Cli cli = lib.cli("run", "FORK");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    long daemon = pidIn(pid);
    Eventually.within(
        Duration.ofSeconds(10), "the double-forked sleep to be killed", () -> !alive(daemon));
  }

  @Test
  void stepsInheritNeitherTheEnginesSecretsNorSeeThemUnmasked() throws Exception {
    lib.write(
        "env.yaml",
        """
        runbook: ENV
        title: Prints its environment
        steps:
          - {id: env, shell: 'cat /proc/self/environ | tr "\\\\0" "\\\\n"; echo pass=passphrase-4711-xyz'}
        """);
    Process engine =
        engine(
            Map.of(
                "RUNBOOK_SECRET_SSH_PASSPHRASE", "passphrase-4711-xyz",
                "RUNBOOK_SECRET_OTHER", "other-secret-0815"),
            "022",
            "run",
            "ENV");
    assertThat(exit(engine)).as(err(0)).isZero();
    assertThat(out(0))
        .doesNotContain("RUNBOOK_SECRET_")
        .doesNotContain("other-secret-0815")
        .doesNotContain("passphrase-4711-xyz")
        .contains("pass=****");
    try (Stream<Path> files = Files.walk(lib.state)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).doesNotContain("passphrase-4711-xyz");
      }
    }
  }

  @Test
  void underUmask000EveryFileOfTheStateDirectoryIsPrivate() throws Exception {
    lib.write(
        "r.yaml",
        "runbook: R\ntitle: t\nlock: l\nsteps:\n  - {id: a, shell: 'echo out; echo err >&2'}\n");
    Process engine = engine(Map.of(), "000", "run", "R");
    assertThat(exit(engine)).as(err(0)).isZero();
    try (Stream<Path> all = Files.walk(lib.state)) {
      List<Path> paths = all.toList();
      assertThat(paths).hasSizeGreaterThan(5);
      for (Path path : paths) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        assertThat(mode).as(path.toString()).isIn("rwx------", "rw-------");
      }
    }
  }

  @Test
  void withoutAUtf8LocaleTheConsoleDrawsInAscii() throws Exception {
    lib.write("r.yaml", "runbook: R\ntitle: t\nsteps:\n  - {id: a, shell: 'echo hi'}\n");
    Process engine = engine(Map.of("LC_ALL", "C", "LANG", "C"), "022", "run", "R");
    assertThat(exit(engine)).isZero();
    assertThat(out(0)).contains("    | hi").contains("    ok exit 0").doesNotContain("?");
  }

  @Test
  void theClaimedOperatorAndTheOsUserAreBothRecorded() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Token: {type: string, secret: true, required: true}
        steps:
          - {id: a, shell: 'test "${params.Token}" = tok-abcdef'}
          - {id: q, ask: Fine?, yes: {end: resolved}, no: {end: escalated}}
        """);
    Process engine =
        engine(
            Map.of("RUNBOOK_OPERATOR", "alice", "RUNBOOK_SECRET_Token", "tok-abcdef"),
            "022",
            "run",
            "R",
            "--answer",
            "q=yes");
    assertThat(exit(engine)).as(out(0) + err(0)).isZero();
    AuditEvent.RunStarted start = lib.events(AuditEvent.RunStarted.class).get(0);
    assertThat(start.operator()).isEqualTo("alice");
    assertThat(start.osUser()).isEqualTo(System.getProperty("user.name"));
    AuditEvent.Answered answer = lib.events(AuditEvent.Answered.class).get(0);
    assertThat(answer.operator()).isEqualTo("alice");
    assertThat(answer.osUser()).isEqualTo(System.getProperty("user.name"));
  }

  @Test
  void twoResumesOfOneRunAtOnceAreRefusedForTheSecond() throws Exception {
    Path pid = tmp.resolve("step.pid");
    Path release = tmp.resolve("release");
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        steps:
          - {id: confirm, manual: Go on?}
          - id: slow
            shell: 'echo $$ > %s; while [ ! -e %s ]; do sleep 0.05; done'
            timeout: 1m
        """
            .formatted(pid, release));
    assertThat(lib.cli("run", "R").exitCode()).isEqualTo(ExitCodes.PAUSED);
    String runId = lib.lastRun().runId();
    Process first = engine(Map.of(), "022", "resume", runId, "--answer", "confirm=yes");
    pidIn(pid);
    Cli second = lib.cli("resume", runId, "--answer", "confirm=yes");
    assertThat(second.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(second.err()).contains("is running or being resumed by another process");
    Files.writeString(release, "");
    assertThat(exit(first)).as(err(0)).isZero();
    assertThat(lib.cli("audit", "verify", runId).exitCode()).isZero();
  }

  @Test
  void verboseShowsTheSshNegotiationAndQuietDoesNot() throws Exception {
    // Port 1 on loopback: nothing listens, so the login fails at once, after JSch said what it
    // tried.
    lib.write(
        "v.yaml",
        """
        runbook: V
        title: t
        targets:
          h: {ssh: 127.0.0.1, port: 1}
        steps:
          - {id: a, on: h, shell: 'true'}
        """);
    Process verbose = engine(Map.of(), "022", "-v", "run", "V");
    assertThat(exit(verbose)).isEqualTo(ExitCodes.FAILED);
    Process quiet = engine(Map.of(), "022", "run", "V");
    assertThat(exit(quiet)).isEqualTo(ExitCodes.FAILED);
    assertThat(err(0)).contains("Connecting to 127.0.0.1 port 1");
    assertThat(err(1)).doesNotContain("Connecting to");
  }
}
