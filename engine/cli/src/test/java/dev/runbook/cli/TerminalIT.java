package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.ShellQuoting;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.fixtures.Eventually;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI at a real terminal: a pseudo-terminal made by util-linux's {@code script}, which the test
 * types into, as a person would. Questions and secret prompts reach the person even when the output
 * is piped; lines fit the terminal; a poll is one line that updates in place.
 */
class TerminalIT {

  @TempDir Path tmp;
  private TempLibrary lib;

  @BeforeEach
  void setUp() {
    lib = new TempLibrary(tmp);
  }

  /** The shell words that start the CLI with this test's library and state. */
  private String cli(String... args) {
    StringBuilder line =
        new StringBuilder(
            String.join(
                " ",
                quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                quote(System.getProperty("java.class.path")),
                Main.class.getName(),
                "--state-dir",
                quote(lib.state.toString()),
                "--runbooks",
                quote(lib.runbooks.toString())));
    for (String arg : args) {
      line.append(' ').append(quote(arg));
    }
    return line.toString();
  }

  private static String quote(String word) {
    return ShellQuoting.quote(word);
  }

  /**
   * Runs {@code command} in a pseudo-terminal, typing {@code typed} into it, and returns what
   * appeared on the terminal.
   */
  private String atTerminal(String command, String prompt, String typed) throws Exception {
    Path screen = tmp.resolve("screen");
    Process script =
        new ProcessBuilder("script", "-q", "-e", "-c", command, "/dev/null")
            .redirectOutput(screen.toFile())
            .redirectErrorStream(true)
            .start();
    try (OutputStream keyboard = script.getOutputStream()) {
      // A person reads the prompt before typing (and a secret typed earlier would be echoed).
      Eventually.within(
          Duration.ofSeconds(30),
          "the prompt " + prompt,
          () -> {
            try {
              return Files.readString(screen).contains(prompt);
            } catch (IOException e) {
              return false;
            }
          });
      keyboard.write(typed.getBytes(StandardCharsets.UTF_8));
      keyboard.flush();
      assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("the command ended").isTrue();
    } finally {
      script.destroyForcibly();
    }
    return Files.readString(screen);
  }

  @Test
  void aQuestionIsAskedAtTheTerminalWhenTheOutputIsPiped() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        steps:
          - {id: again, ask: Is the alarm generated again?, yes: {end: escalated}, no: {end: resolved}}
        """);
    Path log = tmp.resolve("log");
    String screen =
        atTerminal(
            cli("run", "R") + " | cat > " + quote(log.toString()),
            "[yes/no]",
            "no # quiet since 3 am\n");
    assertThat(screen).contains("Is the alarm generated again?").contains("[yes/no]");
    assertThat(Files.readString(log)).contains("RESOLVED").contains("answer: no (terminal");
    AuditEvent.Answered answer = lib.events(AuditEvent.Answered.class).get(0);
    assertThat(answer.via()).isEqualTo("terminal");
    assertThat(answer.note()).isEqualTo("quiet since 3 am");
  }

  @Test
  void aSecretIsAskedForWithoutEcho() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        params:
          Token: {type: string, secret: true, required: true}
        steps:
          - {id: use, shell: 'test "${params.Token}" = typed-secret-771'}
        """);
    String screen = atTerminal(cli("run", "R"), "never recorded): ", "typed-secret-771\n");
    assertThat(screen).contains("Token").contains("a secret (not shown, never recorded)");
    assertThat(screen).doesNotContain("typed-secret-771");
    assertThat(lib.events(AuditEvent.RunFinished.class).get(0).outcome().label())
        .isEqualTo("resolved");
  }

  @Test
  void linesFitTheTerminalAndAPollIsOneLineThatUpdates() throws Exception {
    lib.write(
        "r.yaml",
        """
        runbook: R
        title: t
        steps:
          - {id: wide, shell: 'printf "%0200d\\\\n" 7'}
          - id: poll
            shell: 'echo no'
            until: result.stdout == "yes"
            every: 200ms
            timeout: 1s
            yes: {end: resolved}
            no: {end: escalated}
        """);
    String screen = atTerminal("stty cols 60; " + cli("run", "R"), "", "");
    // Terminal lines end with \n; a progress line rewrites itself after \r.
    List<String> lines = List.of(screen.replace("\r\n", "\n").split("\n"));
    assertThat(lines).anyMatch(l -> l.startsWith("    │ 0000") && l.endsWith("…"));
    assertThat(lines)
        .filteredOn(l -> !l.startsWith("Trail: ")) // a path to copy is never cut
        .allSatisfy(
            l -> {
              for (String shown : l.replace("\u001b[K", "").split("\r")) {
                assertThat(shown.length()).as(shown).isLessThanOrEqualTo(60);
              }
            });
    List<String> polling = lines.stream().filter(l -> l.contains("… polling")).toList();
    assertThat(polling).as("one terminal line, rewritten in place").hasSize(1);
    assertThat(polling.get(0)).contains("\r    … polling poll: attempt 2");
  }
}
