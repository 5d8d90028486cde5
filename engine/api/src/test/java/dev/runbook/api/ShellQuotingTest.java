package dev.runbook.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellQuotingTest {

  @Test
  void leavesPlainWordsBare() {
    assertThat(ShellQuoting.quote("/opt/Bigdata")).isEqualTo("/opt/Bigdata");
    assertThat(ShellQuoting.quote("node-1.example.com")).isEqualTo("node-1.example.com");
  }

  @Test
  void quotesEmptyAndSpecialValues() {
    assertThat(ShellQuoting.quote("")).isEqualTo("''");
    assertThat(ShellQuoting.quote("a b")).isEqualTo("'a b'");
    assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
  }

  /**
   * The real proof: /bin/sh receives each hostile value back as exactly one literal word. The shell
   * runs in a directory holding files the glob values would match ({@code abc}, {@code a}, {@code
   * ab}) with {@code HOME} set, so a value left bare by mistake is visibly expanded ({@code ~/x}
   * becomes {@code HOME/x}, {@code a*} becomes {@code ab abc}) or commented out ({@code #x}).
   * {@code set --} makes the value the positional parameters, so {@code $#} counts the words the
   * shell made of it: one.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "x; touch /tmp/runbook-pwned",
        "$(id)",
        "`id`",
        "a'b\"c",
        "line1\nline2",
        "-rf",
        "*",
        "${HOME}",
        "a\\b",
        "&& echo hi",
        "|cat",
        "'",
        "~",
        "~/x",
        "a?c",
        "[ab]",
        "#x",
        "a*",
        "x y",
        "a\tb",
        "!x",
        "{a,b}",
        "x=y z",
        ""
      })
  void shellReadsQuotedValueAsOneLiteralWord(String hostile) throws Exception {
    String script =
        "set -- " + ShellQuoting.quote(hostile) + "; printf '%s|' \"$@\"; printf 'argc=%s' $#";
    String output = sh(script);
    assertThat(output).isEqualTo(hostile + "|argc=1");
  }

  @Test
  void theArgumentCountReallyCountsWords() throws Exception {
    // Without this, a check of $# that is always 1 would make the test above pass vacuously.
    assertThat(sh("set -- a* ~/x; printf '%s|' \"$@\"; printf 'argc=%s' $#"))
        .isEqualTo("a|ab|abc|" + home + "/x|argc=4");
  }

  @Test
  void joinQuotesEachWord() throws Exception {
    assertThat(ShellQuoting.join(List.of("ls", "two words"))).isEqualTo("ls 'two words'");
    assertThat(ShellQuoting.join(List.of())).isEmpty();
    String line = ShellQuoting.join(List.of("printf", "%s\\n", "two words", "$(id)"));
    assertThat(sh(line)).isEqualTo("two words\n$(id)\n");
  }

  @TempDir Path dir;
  private String home;

  @BeforeEach
  void filesTheGlobsWouldMatch() throws IOException {
    for (String name : List.of("abc", "a", "ab")) {
      Files.writeString(dir.resolve(name), "");
    }
    home = Files.createDirectories(dir.resolve("home")).toString();
  }

  private String sh(String script) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile());
    builder.environment().put("HOME", home);
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
