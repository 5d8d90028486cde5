package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.fixtures.FileSpy;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.TestUser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values and secrets over real OpenSSH (sshd on loopback, the lab user): every shell construct
 * reads hostile values back literally on the remote host too, a secret is on no command line any
 * user of the host can list, and a private key written over SFTP is never readable by another user
 * while it is written.
 */
@ExtendWith(SshLabExtension.class)
class SecurityOverSshIT {

  @AfterEach
  void forget() {
    System.clearProperty("runbook.ssh.knownHosts");
  }

  private static TempLibrary library(SshLab lab) throws IOException {
    System.setProperty("runbook.ssh.knownHosts", lab.knownHosts().toString());
    return new TempLibrary(Files.createDirectories(lab.dir().resolve("cli")));
  }

  private static String target(SshLab lab, OpenSshServer host) {
    return "{ssh: \"%s\", port: %d, user: %s, identity: \"%s\"}"
        .formatted(host.address(), host.port(), lab.user(), lab.key("ed25519"));
  }

  @Test
  void everyConstructReadsHostileValuesBackLiterallyOnTheRemoteHost(SshLab lab) throws Exception {
    OpenSshServer host = lab.start();
    TempLibrary lib = library(lab);
    Path remote = Files.createDirectories(lab.dir().resolve("remote"));
    Files.setPosixFilePermissions(remote, PosixFilePermissions.fromString("rwxrwxrwx"));
    // Files the glob values would match if a shell expanded them (a?c, [ab], a*), in the remote
    // command's working directory.
    for (String name : List.of("abc", "a", "ab")) {
      Files.writeString(remote.resolve(name), "");
    }
    // The value is another step's output, which may hold anything (newlines included).
    Path valueFile = lab.dir().resolve("value");
    // Each construct with what it must print: V is the value, read back literally (the trail keeps
    // stdout without its final newline).
    List<String[]> lines =
        List.of(
            new String[] {"printf '[%s]' ${steps.src.stdout}", "[V]"},
            new String[] {"printf '[%s]' \"${steps.src.stdout}\"", "[V]"},
            new String[] {"printf '[%s]' 'in ${steps.src.stdout} single'", "[in V single]"},
            new String[] {"printf '[%s]' x${steps.src.stdout}y", "[xVy]"},
            new String[] {"printf '[%s]' \"$(printf %s ${steps.src.stdout})\"", "[V]"},
            new String[] {"printf '[%s]' \"$(printf %s \"${steps.src.stdout}\")\"", "[V]"},
            new String[] {"printf '[%s]' \"`printf %s ${steps.src.stdout}`\"", "[V]"},
            new String[] {"x=$(printf %s ${steps.src.stdout}); printf '[%s]' \"$x\"", "[V]"},
            new String[] {"sh -c 'printf \"[%s]\" \"${steps.src.stdout}\"'", "[V]"},
            new String[] {"cat <<'EOF'\n[${steps.src.stdout}]\nEOF", "[V]"},
            new String[] {"cat <<EOF\n[${steps.src.stdout}]\nEOF", "[V]"},
            new String[] {"# it's ${steps.src.stdout}\nprintf '[%s]' ${steps.src.stdout}", "[V]"},
            new String[] {"for x in ${steps.src.stdout}; do printf '[%s]' \"$x\"; done", "[V]"});
    StringBuilder yaml =
        new StringBuilder(
            "runbook: R\ntitle: t\ntargets:\n  h: "
                + target(lab, host)
                + "\nsteps:\n  - {id: src, shell: 'cat "
                + valueFile
                + "'}\n");
    for (int i = 0; i < lines.size(); i++) {
      yaml.append("  - id: s")
          .append(i)
          .append("\n    on: h\n    shell:\n      dir: ")
          .append(remote)
          .append("\n      command: |\n        ")
          .append(lines.get(i)[0].replace("\n", "\n        "))
          .append('\n');
    }
    lib.write("r.yaml", yaml.toString());
    Path pwned = remote.resolve("PWNED");
    List<String> values =
        List.of(
            "x; touch " + pwned,
            "$(touch " + pwned + ")",
            "`touch " + pwned + "`",
            "a'b\"c\\d",
            "two\nlines; touch " + pwned,
            "EOF\ntouch " + pwned,
            "x\n# $(touch " + pwned + ")",
            "~",
            "~/x",
            "a?c",
            "[ab]",
            "#x",
            "a*",
            "~/x *",
            "$HOME");
    for (String value : values) {
      Files.writeString(valueFile, value);
      Cli cli = lib.cli("run", "R");
      assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
      List<AuditEvent.StepFinished> steps =
          lib.eventsOf(cli).stream()
              .filter(AuditEvent.StepFinished.class::isInstance)
              .map(AuditEvent.StepFinished.class::cast)
              .toList();
      assertThat(steps).hasSize(lines.size() + 1);
      for (AuditEvent.StepFinished step : steps) {
        if (step.step().startsWith("src")) {
          continue;
        }
        int index = Integer.parseInt(step.step().substring(1, step.step().indexOf('@')));
        String expected = lines.get(index)[1].replace("V", value);
        assertThat(String.valueOf(step.result().get("stdout")))
            .as(lines.get(index)[0] + " with V=" + value)
            .isEqualTo(expected);
        assertThat(step.ranOn()).contains(host.address());
      }
      assertThat(pwned).as("V=" + value).doesNotExist();
    }
  }

  @Test
  void aSecretIsOnNoCommandLineOfTheRemoteHost(SshLab lab) throws Exception {
    OpenSshServer host = lab.start();
    TempLibrary lib = library(lab);
    String token = "tok-9a8b7c6d5e4f";
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Token: {type: string, secret: true, required: true}
        targets:
          h: %s
        steps:
          - {id: in-line, on: h, shell: 'sleep 1.5; test "${params.Token}" = "$(cat %s)"'}
          - id: in-env
            on: h
            shell: {command: 'sleep 1.5; test "$TOK" = "$(cat %s)"', env: {TOK: "${params.Token}"}}
        """
            .formatted(target(lab, host), secretPath(lab), secretPath(lab)));
    Path secretFile = Files.writeString(secretPath(lab), token);
    Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-r--r--"));
    CompletableFuture<Cli> run =
        CompletableFuture.supplyAsync(() -> lib.cli("run", "R", "-p", "Token=@" + secretFile));
    List<String> seen = new ArrayList<>();
    int sleepsSeen = 0;
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!run.isDone() && System.nanoTime() < end) {
      for (String cmdline : commandLines()) {
        if (cmdline.contains(token)) {
          seen.add(cmdline);
        }
        if (cmdline.startsWith("sleep 1.5")) {
          sleepsSeen++;
        }
      }
      Thread.sleep(5);
    }
    Cli cli = run.get(30, TimeUnit.SECONDS);
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
    assertThat(sleepsSeen).as("the remote commands were seen running").isPositive();
    assertThat(seen).as("command lines holding the secret").isEmpty();
  }

  private static Path secretPath(SshLab lab) {
    return lab.dir().resolve("token");
  }

  /** Every process's command line on this machine, the remote host's included (loopback). */
  private static List<String> commandLines() throws IOException {
    List<String> lines = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          byte[] bytes = Files.readAllBytes(proc.resolve("cmdline"));
          lines.add(new String(bytes, StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException e) {
          // the process ended while we looked
        }
      }
    }
    return lines;
  }

  @Test
  void aPrivateKeyWrittenOverSshIsNeverReadableByAnotherUser(SshLab lab) throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "a second local user needs root to create and switch to");
    OpenSshServer host = lab.start();
    TempLibrary lib = library(lab);
    Path keys = Files.createDirectories(lab.dir().resolve("keys"));
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-xr-x"));
    TestUser.own(keys, lab.user());
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        targets:
          h: %s
        steps:
          - id: issue
            on: h
            cert.issue: {subject: "CN=test-ca", ca: true, cert_out: "%s/ca.crt", key_out: "%s/ca.key"}
        """
            .formatted(target(lab, host), keys, keys));
    String spy = TestUser.ensure("runbook-spy");
    Path stop = lab.dir().resolve("stop-spy");
    Path caught = lab.dir().resolve("caught");
    Files.createFile(caught);
    Files.setPosixFilePermissions(caught, PosixFilePermissions.fromString("rw-rw-rw-"));
    // The spy reads every file it can open there, in a tight loop, as another user (its class
    // path is the fixtures' classes alone: root's Maven repository is not readable by others).
    String spyClassPath =
        Path.of(FileSpy.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    Process watcher =
        new ProcessBuilder(
                "runuser",
                "-u",
                spy,
                "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                spyClassPath,
                FileSpy.class.getName(),
                keys.toString(),
                stop.toString(),
                caught.toString())
            .redirectError(new File("/dev/null"))
            .redirectOutput(new File("/dev/null"))
            .start();
    try {
      for (int i = 0; i < 10; i++) {
        Cli cli = lib.cli("run", "R");
        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
      }
    } finally {
      Files.writeString(stop, "");
      Files.setPosixFilePermissions(stop, PosixFilePermissions.fromString("rw-r--r--"));
      if (!watcher.waitFor(20, TimeUnit.SECONDS)) {
        watcher.destroyForcibly();
      }
    }
    assertThat(Files.readString(caught)).doesNotContain("PRIVATE KEY");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("ca.key"))))
        .isEqualTo("rw-------");
    try (var left = Files.list(keys)) {
      assertThat(left.map(p -> p.getFileName().toString()).toList())
          .as("no temporary directory is left behind")
          .containsExactlyInAnyOrder("ca.crt", "ca.key");
    }
  }
}
