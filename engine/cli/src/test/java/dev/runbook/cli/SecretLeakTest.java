package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.runbook.api.ShellQuoting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A secret reaches the command that needs it, and no byte the run writes anywhere else: for secrets
 * that hold regex metacharacters (a redactor that read the secret as a pattern would miss them),
 * quotes, a backslash, spaces and non-ASCII letters, searched for as they are, JSON-escaped (the
 * trail's form) and shell-quoted.
 */
class SecretLeakTest {

  /** The secrets, each at least {@code ParamValues.SHORTEST_SECRET} long. */
  static Stream<String> secrets() {
    return Stream.of(
        "s3cr3t-Pa55-7f1c",
        "Pa55+w0rd",
        "a.b*c?(d)|[e]{2}^$",
        "it's \"quoted\"",
        "back\\slash\\n",
        "pass word 99",
        "pässwörd-ü✓");
  }

  private String secret;

  @TempDir Path tmp;
  private Path state;
  private Path runbooks;
  private Path secretFile;
  private Path delivered;

  private void setUp(String secret) throws IOException {
    this.secret = secret;
    state = tmp.resolve("state");
    runbooks = Files.createDirectories(tmp.resolve("runbooks"));
    secretFile = Files.writeString(tmp.resolve("password.txt"), secret + "\n");
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
            shell: printf 'connecting with %s\\n' "${params.Password}" && printf '%s' ${params.Password} > ${params.Out} && printf 'pw=%s\\n' ${params.Password} >&2
          - id: check
            shell: test "$(cat ${params.Out})" = ${params.Password} && printf '%s\\n' ${params.Password}
            if: result.exitCode == 0 && result.stdout == params.Password
            yes: ask-it
            no: {end: failed}
          - id: ask-it
            ask: Did the login with ${params.Password} work?
            yes: fail-loudly
            no: {end: escalated}
          - id: fail-loudly
            shell: printf 'bad password %s\\n' "${params.Password}" >&2; exit 3
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("secrets")
  void theSecretIsUsedButNeverWrittenOrShown(String secret) throws IOException {
    setUp(secret);
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
    assertThat(Files.readString(delivered)).isEqualTo(secret);
    assertThat(paused.out())
        .contains("if result.exitCode == 0 && result.stdout == params.Password  → yes");
    // Masked where it is shown.
    assertThat(dryRun.out())
        .contains("Password=****")
        .contains("printf 'connecting with %s\\n' \"${RB_PARAM_Password}\"")
        .contains("RB_PARAM_Password=****");
    assertThat(paused.out()).contains("│ connecting with ****").contains("│ ! pw=****");
    assertThat(resumed.out()).contains("bad password ****");
    assertThat(show.out()).contains("Did the login with **** work?");

    for (Cli output : List.of(dryRun, paused, resumed, show, json)) {
      assertHoldsNoForm(output.out(), "stdout");
      assertHoldsNoForm(output.err(), "stderr");
    }
    List<Path> written;
    try (Stream<Path> files = Files.walk(state)) {
      written = files.filter(Files::isRegularFile).toList();
    }
    assertThat(written).hasSizeGreaterThan(3);
    assertThat(written).anyMatch(f -> f.getFileName().toString().equals("events.jsonl"));
    for (Path file : written) {
      assertHoldsNoForm(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }
  }

  /**
   * The forms a secret may take when something writes it: as it is, JSON-escaped (the trail and
   * {@code --output json}), shell-quoted (a command line shown), and the lines of it.
   */
  private List<String> forms() {
    String json = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
    return List.of(secret, json, ShellQuoting.quote(secret));
  }

  private void assertHoldsNoForm(String text, String where) {
    for (String form : forms()) {
      assertThat(text).as(where + " holds the secret as " + form).doesNotContain(form);
    }
  }

  @Test
  void theFormsSearchedForReallyDiffer() {
    // Without this, a JSON or shell form equal to the raw one would be searched for in vain.
    secret = "it's \"quoted\"";
    assertThat(forms())
        .containsExactly("it's \"quoted\"", "it's \\\"quoted\\\"", "'it'\\''s \"quoted\"'");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secrets")
  void aSecretOnTheCommandLineWorksButDrawsAWarning(String secret) throws IOException {
    setUp(secret);
    Cli cli =
        cli("run", "SECRET-1", "--dry-run", "-p", "Password=" + secret, "-p", "Out=" + delivered);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.err())
        .contains("warning: secret parameter Password was given on the command line");
    assertHoldsNoForm(cli.out() + cli.err(), "the console");
  }
}
