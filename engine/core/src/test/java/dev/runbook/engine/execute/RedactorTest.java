package dev.runbook.engine.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void declaredSecretsAreMaskedInsideTextWhateverTheirLength() {
    Redactor redactor = new Redactor(List.of("pw", "s3cr3t"));

    assertThat(redactor.redact("login pw=pw secret=s3cr3t"))
        .isEqualTo("login ****=**** secret=****");
  }

  @Test
  void aLongerSecretIsMaskedWholeBeforeOneItContains() {
    Redactor redactor = new Redactor(List.of("abcd", "abcdefgh"));

    assertThat(redactor.redact("x abcdefgh y")).isEqualTo("x **** y");
  }

  @Test
  void learnedSecretsAreMaskedFromThenOnInTextsAndValues() {
    Redactor redactor = new Redactor(List.of());
    assertThat(redactor.redact("token=tok-12345")).isEqualTo("token=tok-12345");

    redactor.learn("tok-12345");

    assertThat(redactor.redact("token=tok-12345")).isEqualTo("token=****");
    assertThat(redactor.redactValue(Map.of("stdout", List.of("a tok-12345 b"))))
        .isEqualTo(Map.of("stdout", List.of("a **** b")));
  }

  @Test
  void aShortLearnedValueIsMaskedOnlyAsAWholeValueOrLine() {
    Redactor redactor = new Redactor(List.of());

    redactor.learn("on");

    assertThat(redactor.redact("on")).isEqualTo("****");
    assertThat(redactor.redact("  on ")).isEqualTo("****");
    assertThat(redactor.redact("the monitor is on")).isEqualTo("the monitor is on");
    assertThat(redactor.redactValue(Map.of("debug", "on"))).isEqualTo(Map.of("debug", "****"));
  }

  @Test
  void blankValuesAreNeverSecrets() {
    Redactor redactor = new Redactor(java.util.Arrays.asList("", null, "  "));
    redactor.learn("");
    redactor.learn("   ");

    assertThat(redactor.redact("a b  c")).isEqualTo("a b  c");
  }
}
