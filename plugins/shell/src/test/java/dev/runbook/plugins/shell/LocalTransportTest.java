package dev.runbook.plugins.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.FailureKind;
import dev.runbook.api.OutputSink;
import dev.runbook.api.TransportException;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTransportTest {

  private final LocalTransport transport = new LocalTransport();
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final OutputSink sink =
      new OutputSink() {
        @Override
        public void stdout(String line) {
          lines.add("out:" + line);
        }

        @Override
        public void stderr(String line) {
          lines.add("err:" + line);
        }
      };

  @Test
  void runsAScriptAndStreamsBothStreams() throws Exception {
    CommandResult result =
        transport.run(
            CommandSpec.script("echo one; echo two >&2; exit 3"), sink, Duration.ofSeconds(10));
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("one\n");
    assertThat(result.stderr()).isEqualTo("two\n");
    assertThat(lines).containsExactlyInAnyOrder("out:one", "err:two");
  }

  @Test
  void runsAnArgvWithoutAShell(@TempDir Path dir) throws Exception {
    CommandResult result =
        transport.run(
            CommandSpec.argv(List.of("printf", "%s|", "a b", "$(id)", ";"))
                .inDirectory(dir.toString())
                .withEnvironment(Map.of("RB_TEST", "x")),
            sink,
            Duration.ofSeconds(10));
    // Output is captured by lines, so a last line without its newline gets one.
    assertThat(result.stdout()).isEqualTo("a b|$(id)|;|\n");
    CommandResult env =
        transport.run(
            CommandSpec.script("echo $RB_TEST; pwd")
                .inDirectory(dir.toString())
                .withEnvironment(Map.of("RB_TEST", "from-env")),
            sink,
            Duration.ofSeconds(10));
    assertThat(env.stdout()).isEqualTo("from-env\n" + dir.toRealPath() + "\n");
  }

  @Test
  void aMissingProgramIsAConfigFailure() {
    assertThatThrownBy(
            () ->
                transport.run(
                    CommandSpec.argv(List.of("/no/such/program")), sink, Duration.ofSeconds(10)))
        .isInstanceOf(TransportException.class)
        .satisfies(e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.CONFIG))
        .hasMessageContaining("cannot start /no/such/program");
  }

  /**
   * An interrupt that comes while Commons Exec's own thread is still handing the launched process
   * over (a SIGTERM right after a step began): the command is stopped all the same. The thread is
   * interrupted before the call, so the wait for the command fails at once, before the hand-over.
   */
  @Test
  void anInterruptBeforeTheProcessIsHandedOverStillStopsTheCommand(@TempDir Path dir)
      throws Exception {
    String marker = "runbook-interrupt-" + ThreadLocalRandom.current().nextInt(1_000_000);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () ->
                  transport.run(
                      CommandSpec.argv(List.of("sh", "-c", "sleep 300", marker)),
                      sink,
                      Duration.ofMinutes(5)))
          .isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
    Eventually.within(
        Duration.ofSeconds(10), "the command to be stopped", () -> running(marker).isEmpty());
  }

  /** Live processes whose command line holds {@code marker}. */
  private static List<Long> running(String marker) {
    List<Long> found = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
          long pid = Long.parseLong(proc.getFileName().toString());
          if (cmdline.contains(marker) && Processes.isRunning(pid)) {
            found.add(pid);
          }
        } catch (IOException | UncheckedIOException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("grandchild.pid");
    // The shell starts a grandchild that would outlive a plain kill of the shell.
    String script = "sleep 300 & echo $! > " + pidFile + "; wait";
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> transport.run(CommandSpec.script(script), sink, Duration.ofMillis(500)))
        .isInstanceOf(TransportException.class)
        .satisfies(e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.TIMEOUT));
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
    long grandchild = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(Processes.isRunning(grandchild))
        .as("grandchild %d still alive", grandchild)
        .isFalse();
  }

  @Test
  void outputPastTheCapIsStreamedButNotKept() throws Exception {
    // 3 MB of output against the 1 MiB cap: every line still reaches the sink.
    CommandResult result =
        transport.run(
            CommandSpec.script("yes 0123456789abcdefghijklmnopqrstuvwxyz | head -n 80000"),
            sink,
            Duration.ofSeconds(30));
    assertThat(result.truncated()).isTrue();
    assertThat(result.stdout().length()).isLessThanOrEqualTo(CappedLines.DEFAULT_CAP);
    assertThat(lines).hasSize(80_000);
  }

  @Test
  void writesFilesAtomicallyWithTheirMode(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key.pem");
    transport.writeFile(key.toString(), "secret".getBytes(), 0600);
    assertThat(Files.readString(key)).isEqualTo("secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(transport.readFile(key.toString())).isEqualTo("secret".getBytes());
    assertThatThrownBy(() -> transport.readFile(dir.resolve("nope").toString()))
        .satisfies(
            e -> assertThat(((TransportException) e).kind()).isEqualTo(FailureKind.NOT_FOUND));
  }

  @Test
  void aBareProgramNameIsFoundOnTheCommandsOwnPath(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path oc = bin.resolve("oc");
    Files.writeString(oc, "#!/bin/sh\necho \"fake oc $*\"\n");
    Files.setPosixFilePermissions(oc, PosixFilePermissions.fromString("rwxr-xr-x"));

    CommandResult result =
        transport.run(
            CommandSpec.argv(List.of("oc", "get", "pods"))
                .withEnvironment(Map.of("PATH", bin + ":" + System.getenv("PATH"))),
            sink,
            Duration.ofSeconds(10));

    assertThat(result.stdout()).isEqualTo("fake oc get pods\n");
  }

  @Test
  void aProgramMissingFromTheCommandsPathCannotStart(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                transport.run(
                    CommandSpec.argv(List.of("no-such-program-here"))
                        .withEnvironment(Map.of("PATH", dir.toString())),
                    sink,
                    Duration.ofSeconds(10)))
        .isInstanceOf(TransportException.class)
        .extracting(e -> ((TransportException) e).kind())
        .isEqualTo(FailureKind.CONFIG);
  }

  @Test
  void aBackgroundChildHoldingStdoutOpenDoesNotHoldTheStep() throws Exception {
    // The child inherits stdout and outlives the shell: the pipe stays open after the exit.
    CommandResult result =
        Assertions.assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                transport.run(
                    CommandSpec.script("echo before; sleep 60 & echo \"child $!\"; exit 0"),
                    sink,
                    Duration.ofSeconds(120)));
    long child =
        Long.parseLong(
            result
                .stdout()
                .lines()
                .filter(l -> l.startsWith("child "))
                .findFirst()
                .orElseThrow()
                .substring(6));
    ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).startsWith("before\nchild ");
  }
}
