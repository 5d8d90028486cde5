package dev.runbook.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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

  /** The real proof: /bin/sh receives each hostile value back as one literal word. */
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
        "'"
      })
  void shellReadsQuotedValueAsOneLiteralWord(String hostile) throws Exception {
    String script = "printf '%s|' " + ShellQuoting.quote(hostile) + "; printf 'argc=%s' $#";
    String output = sh(script);
    assertThat(output).isEqualTo(hostile + "|argc=0");
  }

  @Test
  void joinQuotesEachWord() throws Exception {
    String line = ShellQuoting.join(List.of("printf", "%s\\n", "two words", "$(id)"));
    assertThat(sh(line)).isEqualTo("two words\n$(id)\n");
  }

  private static String sh(String script) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
