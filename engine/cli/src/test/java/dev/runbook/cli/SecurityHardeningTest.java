package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 against the real CLI and /bin/sh: values never become commands or options, terminal
 * escapes are shown not obeyed, secrets stay secret, bad files and settings get one clear line.
 * (SSH, kill -9 and umask cases are in SecurityHardeningIT, with real sshd and child processes.)
 */
class SecurityHardeningTest {

  @TempDir Path tmp;
  private TempLibrary lib;
  private Path pwned;

  @BeforeEach
  void setUp() {
    lib = new TempLibrary(tmp);
    pwned = tmp.resolve("PWNED");
  }

  @Test
  void aValueThatLooksLikeAnOptionIsRefusedWhereItWouldBeOne() throws Exception {
    Path archive = tmp.resolve("a.tar");
    assertThat(
            new ProcessBuilder("tar", "-cf", archive.toString(), "-T", "/dev/null")
                .start()
                .waitFor())
        .isZero();
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          File: {type: string}
        steps:
          - {id: list, shell: 'tar -tf ${params.File}'}
        """);
    Cli cli = lib.cli("run", "R", "-p", "File=--use-compress-program=touch " + pwned);
    // refused before the run starts: no step runs, no trail is begun
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("step 'list': ${params.File}").contains("read it as an option");
    assertThat(pwned).doesNotExist();
    assertThat(lib.runs()).isEmpty();
    Cli ok = lib.cli("run", "R", "-p", "File=" + archive);
    assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
  }

  @Test
  void aLineWhereASecondShellWouldParseAValueDoesNotValidate() {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          V: {type: string}
        steps:
          - {id: nested, shell: 'su - omm -c "echo ${params.V}"'}
          - {id: piped, shell: 'echo ${params.V} | sh'}
        """);
    Cli cli = lib.cli("validate", lib.runbooks.toString());
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    assertThat(cli.err())
        .contains("r.yaml:6:")
        .contains("${params.V} is inside the command of `su - -c`")
        .contains("r.yaml:7:")
        .contains("piped into sh");
  }

  @Test
  void terminalControlSequencesInOutputAreShownNotObeyed() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        steps:
          - {id: fake, shell: "printf '\\\\033[2J\\\\033]0;owned\\\\007RESOLVED\\\\n'"}
        """);
    Cli cli = lib.cli("run", "R");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).doesNotContain("\u001b").doesNotContain("\u0007");
    assertThat(cli.out()).contains("\\x1b[2J\\x1b]0;owned\\x07RESOLVED");
    // The output file keeps the bytes exactly as the command printed them.
    Path log = lib.lastRun().outputs().resolve("fake@1.log");
    assertThat(Files.readString(log)).contains("\u001b[2J");
    Cli show = lib.cli("audit", "show", lib.lastRun().runId());
    assertThat(show.out()).doesNotContain("\u001b");
  }

  @Test
  void bidiOverridesAndZeroWidthCharactersInParametersAreShownVisibly() {
    lib.write(
        "r.yaml",
        "runbook: R\ntitle: t\nparams:\n  V: {type: string}\nsteps:\n  - {id: a, shell: 'true'}\n");
    Cli cli = lib.cli("run", "R", "-p", "V=abc\u202edcb\u200b");
    assertThat(cli.out()).contains("V=abc\\u202edcb\\u200b");
  }

  @Test
  void stepsDoNotInheritTheEnginesSecrets() throws Exception {
    // The engine's environment is the test JVM's; this test proves the scrubbing in-process by
    // running a child JVM in SecurityHardeningIT. Here: a secret parameter reaches only the step
    // that references it, as the variable its line names.
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Token: {type: string, secret: true}
        steps:
          - {id: other, shell: 'env > %s'}
          - {id: user, shell: 'test "${params.Token}" = s3cr3t-T0ken'}
        """
            .formatted(tmp.resolve("env")));
    Path token = Files.writeString(tmp.resolve("t"), "s3cr3t-T0ken");
    Cli cli = lib.cli("run", "R", "-p", "Token=@" + token);
    assertThat(cli.exitCode()).as(cli.out()).isZero();
    assertThat(Files.readString(tmp.resolve("env"))).doesNotContain("s3cr3t-T0ken");
  }

  @Test
  void aSecretInTheLockKeyIsMaskedInTheTrailAndAbsentFromTheLockFilesName() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        lock: tenant/${params.Token}
        params:
          Token: {type: string, secret: true, required: true}
        steps:
          - {id: a, shell: 'true'}
        """);
    Path token = Files.writeString(tmp.resolve("t"), "tenant-s3cr3t");
    assertThat(lib.cli("run", "R", "-p", "Token=@" + token).exitCode()).isZero();
    assertThat(lib.events(AuditEvent.RunStarted.class).get(0).lock()).isEqualTo("tenant/****");
    try (Stream<Path> locks = Files.list(lib.state.resolve("locks"))) {
      assertThat(locks.map(p -> p.getFileName().toString()).toList())
          .allSatisfy(name -> assertThat(name).matches("[0-9a-f]{64}\\.lock"))
          .isNotEmpty();
    }
  }

  @Test
  void aShortSecretIsRefusedAndALongerOneMasksOnlyWholeTokens() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Pin: {type: string, secret: true, required: true}
        steps:
          - {id: a, shell: 'echo 1234567; echo "pin=${params.Pin}"'}
        """);
    Path shortPin = Files.writeString(tmp.resolve("short"), "12");
    Cli refused = lib.cli("run", "R", "-p", "Pin=@" + shortPin);
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("is 2 characters long").doesNotContain("'12'");
    Path pin = Files.writeString(tmp.resolve("pin"), "123456");
    Cli cli = lib.cli("run", "R", "-p", "Pin=@" + pin);
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).contains("│ 1234567").contains("pin=****").doesNotContain("pin=123456");
  }

  @Test
  void aMultiLineSecretIsAcceptedAndMaskedLineByLine() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Key: {type: string, secret: true, required: true, allow_leading_dash: true}
        steps:
          - {id: a, shell: 'printf "%s\\n" "${params.Key}"'}
        """);
    String pem =
        "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----";
    Path key = Files.writeString(tmp.resolve("key.pem"), pem + "\n");
    Cli cli = lib.cli("run", "R", "-p", "Key=@" + key);
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
    assertThat(cli.out()).doesNotContain("MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg");
  }

  @Test
  void aDeeplyNestedFileIsOneProblemAndTheOtherRunbooksStillLoad() {
    lib.write("deep.yaml", "a: " + "[".repeat(3000) + "]".repeat(3000) + "\n");
    lib.write("r.yaml", "runbook: R\ntitle: t\nsteps:\n  - {id: a, shell: 'true'}\n");
    Cli list = lib.cli("list");
    assertThat(list.err()).doesNotContain("StackOverflowError");
    assertThat(list.out()).contains("R");
    assertThat(lib.cli("run", "R").exitCode()).isZero();
    Cli validate = lib.cli("validate", lib.runbooks.resolve("deep.yaml").toString());
    assertThat(validate.exitCode()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    assertThat(validate.err()).contains("deep.yaml:1:").contains("nested more than 64 levels");
  }

  @Test
  void aFileThatIsNotARunbookIsNotQuotedBack() throws Exception {
    Path shadow =
        Files.writeString(tmp.resolve("shadow"), "root:$y$j9T$SECRETHASH:19000:0:99999:7:::\n");
    Files.createSymbolicLink(lib.runbooks.resolve("evil.yaml"), shadow);
    Cli cli = lib.cli("validate", lib.runbooks.resolve("evil.yaml").toString());
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    assertThat(cli.err()).contains("does not look like a runbook").doesNotContain("SECRETHASH");
  }

  @Test
  void settingsThatAreMistakesAreUsageErrors() throws Exception {
    lib.write("r.yaml", "runbook: R\ntitle: t\nsteps:\n  - {id: a, shell: 'true'}\n");
    Cli lock = lib.cli("run", "R", "--wait-lock", "99999999999999h");
    assertThat(lock.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(lock.err()).contains("--wait-lock").doesNotContain("internal error");
    Cli graph = lib.cli("graph", "R", "-o", "/nonexistent/x");
    assertThat(graph.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(graph.err()).contains("cannot write /nonexistent/x");
    Path file = Files.writeString(tmp.resolve("file"), "");
    Cli state =
        Cli.runRaw(
            "--state-dir", file.toString(), "--runbooks", lib.runbooks.toString(), "run", "R");
    assertThat(state.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(state.err()).contains("is a file, not a directory");
    lib.write(
        "ssh.yaml",
        "runbook: S\ntitle: t\ntargets:\n  h: {ssh: node-1}\nsteps:\n  - {id: a, on: h, shell: 'true'}\n");
    for (String timeout : List.of("abc", "0")) {
      System.setProperty("runbook.ssh.connectTimeout", timeout);
      try {
        Cli ssh = lib.cli("run", "S");
        assertThat(ssh.exitCode()).as(timeout).isEqualTo(ExitCodes.USAGE);
        assertThat(ssh.err()).contains("RUNBOOK_SSH_CONNECT_TIMEOUT").contains("'" + timeout + "'");
      } finally {
        System.clearProperty("runbook.ssh.connectTimeout");
      }
    }
    System.setProperty("runbook.ssh.strictHostKeys", "no");
    try {
      Cli ssh = lib.cli("run", "S");
      assertThat(ssh.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(ssh.err()).contains("never connects to a host whose key it cannot check");
    } finally {
      System.clearProperty("runbook.ssh.strictHostKeys");
    }
  }

  @Test
  void theStateDirectoryIsPrivate() throws Exception {
    lib.write("r.yaml", "runbook: R\ntitle: t\nlock: x\nsteps:\n  - {id: a, shell: 'echo out'}\n");
    assertThat(lib.cli("run", "R").exitCode()).isZero();
    try (Stream<Path> all = Files.walk(lib.state)) {
      for (Path path : all.toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        assertThat(mode).as(path.toString()).isIn("rwx------", "rw-------");
      }
    }
  }

  @Test
  void lockKeysOfHostsIgnoreCaseAndTheTrailingDot() {
    lib.write(
        "r.yaml",
        "runbook: R\ntitle: t\nlock: node/${params.H}\nparams:\n  H: {type: host}\n"
            + "steps:\n  - {id: a, shell: 'true'}\n");
    Cli cli = lib.cli("run", "R", "-p", "H=MRS-NODE-1.");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
    assertThat(lib.events(AuditEvent.RunStarted.class).get(0).lock()).isEqualTo("node/mrs-node-1");
  }
}
