package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret reaches the command that needs it, and no byte the run writes anywhere else. */
class SecretLeakTest {

  private static final String SECRET = "s3cr3t-Pa55-7f1c";

  @TempDir Path tmp;
  private Path state;
  private Path runbooks;
  private Path secretFile;
  private Path delivered;

  @BeforeEach
  void setUp() throws IOException {
    state = tmp.resolve("state");
    runbooks = Files.createDirectories(tmp.resolve("runbooks"));
    secretFile = Files.writeString(tmp.resolve("password.txt"), SECRET + "\n");
    delivered = tmp.resolve("delivered");
    Files.writeString(
        runbooks.resolve("secret.yaml"),
        """
        runbook: SECRET-1
        title: Uses a password
        params:
          Password: {type: string, secret: true, required: true}
          Out: {type: path, required: true}
        steps:
          - id: use
            title: Log in with the password
            shell: echo "connecting with ${params.Password}" && printf '%s' ${params.Password} > ${params.Out} && echo "pw=${params.Password}" >&2
          - id: check
            shell: test "$(cat ${params.Out})" = ${params.Password} && echo ${params.Password}
            if: result.exitCode == 0 && result.stdout == params.Password
            yes: ask-it
            no: {end: failed}
          - id: ask-it
            ask: Did the login with ${params.Password} work?
            yes: fail-loudly
            no: {end: escalated}
          - id: fail-loudly
            shell: echo "bad password ${params.Password}" >&2; exit 3
            on_failure: {end: failed, message: the last step failed on purpose}
        """);
  }

  private Cli cli(String... args) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of("--state-dir", state.toString(), "--runbooks", runbooks.toString()));
    all.addAll(List.of(args));
    return Cli.runRaw(all.toArray(String[]::new));
  }

  @Test
  void theSecretIsUsedButNeverWrittenOrShown() throws IOException {
    Cli dryRun =
        cli(
            "run",
            "SECRET-1",
            "--dry-run",
            "-p",
            "Password=@" + secretFile,
            "-p",
            "Out=" + delivered);
    Cli paused = cli("run", "SECRET-1", "-p", "Password=@" + secretFile, "-p", "Out=" + delivered);
    assertThat(paused.exitCode()).as(paused.out() + paused.err()).isEqualTo(ExitCodes.PAUSED);
    String runId =
        Files.list(state.resolve("runs")).findFirst().orElseThrow().getFileName().toString();
    Cli resumed = cli("resume", runId, "-p", "Password=@" + secretFile, "--answer", "ask-it=yes");
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.FAILED);
    Cli show = cli("audit", "show", runId);
    Cli json = cli("audit", "show", runId, "--output", "json");

    // The command really got the secret, and the condition really compared it.
    assertThat(Files.readString(delivered)).isEqualTo(SECRET);
    assertThat(paused.out())
        .contains("if result.exitCode == 0 && result.stdout == params.Password  → yes");
    // Masked where it is shown.
    assertThat(dryRun.out())
        .contains("Password=****")
        .contains("echo \"connecting with ${RB_PARAM_Password}\"")
        .contains("RB_PARAM_Password=****");
    assertThat(paused.out()).contains("│ connecting with ****").contains("│ ! pw=****");
    assertThat(resumed.out()).contains("bad password ****");
    assertThat(show.out()).contains("Did the login with **** work?");

    for (Cli output : List.of(dryRun, paused, resumed, show, json)) {
      assertThat(output.out()).doesNotContain(SECRET);
      assertThat(output.err()).doesNotContain(SECRET);
    }
    List<Path> written;
    try (Stream<Path> files = Files.walk(state)) {
      written = files.filter(Files::isRegularFile).toList();
    }
    assertThat(written).hasSizeGreaterThan(3);
    for (Path file : written) {
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(bytes).as(file.toString()).doesNotContain(SECRET);
    }
  }

  @Test
  void aSecretOnTheCommandLineWorksButDrawsAWarning() {
    Cli cli =
        cli("run", "SECRET-1", "--dry-run", "-p", "Password=" + SECRET, "-p", "Out=" + delivered);
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.err())
        .contains("warning: secret parameter Password was given on the command line");
    assertThat(cli.out() + cli.err()).doesNotContain(SECRET);
  }
}
