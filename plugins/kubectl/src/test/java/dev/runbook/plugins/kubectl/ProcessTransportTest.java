package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.FailureKind;
import dev.runbook.api.OutputSink;
import dev.runbook.api.TransportException;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTransportTest {

  @TempDir Path dir;

  private final ProcessTransport transport = new ProcessTransport(Map.of());

  @Test
  void runsAnArgvAndStreamsItsLines() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    OutputSink sink =
        new OutputSink() {
          @Override
          public void stdout(String line) {
            lines.add("out " + line);
          }

          @Override
          public void stderr(String line) {
            lines.add("err " + line);
          }
        };

    CommandResult result =
        transport.run(
            CommandSpec.argv(List.of("/bin/sh", "-c", "echo 'a b'; echo oops >&2; exit 3")),
            sink,
            Duration.ofSeconds(10));

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("a b\n");
    assertThat(result.stderr()).isEqualTo("oops\n");
    assertThat(lines).containsExactlyInAnyOrder("out a b", "err oops");
  }

  @Test
  void aProgramIsFoundOnTheCommandsOwnPath() throws Exception {
    Path tool = dir.resolve("kubectl-test-tool");
    Files.writeString(tool, "#!/bin/sh\necho found \"$@\"\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

    CommandResult result =
        transport.run(
            CommandSpec.argv(List.of("kubectl-test-tool", "x"))
                .withEnvironment(Map.of("PATH", dir + ":/usr/bin:/bin")),
            OutputSink.DISCARD,
            Duration.ofSeconds(10));

    assertThat(result.stdout()).isEqualTo("found x\n");
  }

  @Test
  void aMissingProgramIsAConfigError() {
    assertThatThrownBy(
            () ->
                transport.run(
                    CommandSpec.argv(List.of("no-such-kubectl-here")),
                    OutputSink.DISCARD,
                    Duration.ofSeconds(10)))
        .isInstanceOf(TransportException.class)
        .hasMessage("cannot start no-such-kubectl-here: No such file or directory")
        .extracting(e -> ((TransportException) e).kind())
        .isEqualTo(FailureKind.CONFIG);
  }

  @Test
  void aTimeoutKillsTheProcessAndItsChildren() throws Exception {
    Path pid = dir.resolve("child.pid");
    CommandSpec spec =
        CommandSpec.argv(List.of("/bin/sh", "-c", "sleep 600 & echo $! > '" + pid + "'; wait"));

    assertThatThrownBy(() -> transport.run(spec, OutputSink.DISCARD, Duration.ofMillis(500)))
        .isInstanceOf(TransportException.class)
        .hasMessage("still running after 0s; stopped it and its children")
        .extracting(e -> ((TransportException) e).kind())
        .isEqualTo(FailureKind.TIMEOUT);
    long child = Long.parseLong(Files.readString(pid).strip());
    Eventually.within(
        Duration.ofSeconds(5), "the child to be gone", () -> !Processes.isRunning(child));
  }

  @Test
  void filesAreReadAndWrittenHereWithTheirMode() throws Exception {
    Path file = dir.resolve("kubeconfig");

    transport.writeFile(file.toString(), "apiVersion: v1\n".getBytes(), 0600);

    assertThat(transport.readFile(file.toString())).isEqualTo("apiVersion: v1\n".getBytes());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
