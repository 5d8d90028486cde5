package dev.runbook.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandResultTest {

  private static CommandResult result(String out, String err) {
    return new CommandResult(1, out, err, false, Duration.ZERO);
  }

  @Test
  void textDropsOnlyTheTrailingNewlineOfTheCapture() {
    assertThat(result("one\ntwo\n", "err\r\n").stdoutText()).isEqualTo("one\ntwo");
    assertThat(result("one\ntwo\n", "err\r\n").stderrText()).isEqualTo("err");
    assertThat(result("kept\n\n", "").stdoutText()).isEqualTo("kept\n");
    assertThat(result("", "").stdoutText()).isEmpty();
  }

  @Test
  void lastErrorLineIsTheLastNonBlankLineCut() {
    assertThat(result("", "warning: x\nerror: no such file\n\n").lastErrorLine())
        .isEqualTo("error: no such file");
    assertThat(result("", "  \n").lastErrorLine()).isEmpty();
    assertThat(result("", "e".repeat(300)).lastErrorLine()).isEqualTo("e".repeat(200) + "…");
  }
}
