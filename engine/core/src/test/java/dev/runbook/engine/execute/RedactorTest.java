package dev.runbook.engine.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
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
    Redactor redactor = new Redactor(Arrays.asList("", null, "  "));
    redactor.learn("");
    redactor.learn("   ");

    assertThat(redactor.redact("a b  c")).isEqualTo("a b  c");
  }

  @Test
  void longSecretsAreMaskedLongestFirstWhereverTheyAre() {
    // Both at least 12 characters, so both are masked inside words: the longer must go first.
    Redactor redactor = new Redactor(List.of("abcdefghijkl", "abcdefghijklmnop"));
    assertThat(redactor.redact("x abcdefghijklmnop y")).isEqualTo("x **** y");
    assertThat(redactor.redact("keyabcdefghijklz")).isEqualTo("key****z");

    Redactor learning = new Redactor(List.of());
    learning.learn("abcdefghijkl");
    learning.learn("abcdefghijklmnop");
    assertThat(learning.redact("x abcdefghijklmnop y")).isEqualTo("x **** y");
  }

  @Test
  void aValueOfTwelveIsMaskedInsideWordsAndOfElevenOnlyAsAToken() {
    assertThat(Redactor.ANYWHERE).isEqualTo(12);
    assertThat(Redactor.mask("x123456789012y", "123456789012")).isEqualTo("x****y");
    assertThat(Redactor.mask("x12345678901y", "12345678901")).isEqualTo("x12345678901y");
    assertThat(Redactor.mask("12345678901", "12345678901")).isEqualTo("****");
    assertThat(Redactor.mask("-12345678901-", "12345678901")).isEqualTo("-****-");
  }

  @Test
  void aShortSecretIsMaskedOnlyWhereNoLetterOrDigitTouchesIt() {
    assertThat(Redactor.mask("pw=s3cr3t", "s3cr3t")).isEqualTo("pw=****");
    assertThat(Redactor.mask("s3cr3t.", "s3cr3t")).isEqualTo("****.");
    assertThat(Redactor.mask("as3cr3t", "s3cr3t")).isEqualTo("as3cr3t");
    assertThat(Redactor.mask("s3cr3tb", "s3cr3t")).isEqualTo("s3cr3tb");
    assertThat(Redactor.mask("as3cr3t s3cr3t s3cr3tb s3cr3t", "s3cr3t"))
        .isEqualTo("as3cr3t **** s3cr3tb ****");
    assertThat(Redactor.mask("1234567 123456", "123456")).isEqualTo("1234567 ****");
    assertThat(Redactor.mask("nothing here", "s3cr3t")).isEqualTo("nothing here");
  }

  @Test
  void aMultiLineSecretIsMaskedWholeAndLineByLine() {
    String pem = "-----BEGIN KEY-----\nMIIBVwIBADANBgkq\nabc\n-----END KEY-----";
    Redactor redactor = new Redactor(List.of(pem));
    assertThat(redactor.redact("key: " + pem)).isEqualTo("key: ****");
    assertThat(redactor.redact("MIIBVwIBADANBgkq")).isEqualTo("****");
    assertThat(redactor.redact("-----END KEY-----")).isEqualTo("****");
    assertThat(redactor.redact("abc"))
        .as("a line shorter than 4 is not masked alone")
        .isEqualTo("abc");
    Redactor crlf = new Redactor(List.of("line-one-xyz\r\nline-two-xyz"));
    assertThat(crlf.redact("line-two-xyz")).isEqualTo("****");
  }

  @Test
  void aMultiLineSecretThatStartsWithANewlineIsStillMaskedLineByLine() {
    // as a value read from a file or a heredoc often is: its first character is the newline
    Redactor redactor = new Redactor(List.of("\nMIIBVwIBADANBgkq\nwxyz\n"));
    assertThat(redactor.redact("MIIBVwIBADANBgkq")).isEqualTo("****");
    assertThat(redactor.redact("line: wxyz."))
        .as("a line of exactly 4 characters is masked alone")
        .isEqualTo("line: ****.");
  }

  @Test
  void aLearnedValueOfFourIsMaskedInsideLinesAndOfThreeOnlyWhole() {
    assertThat(Redactor.SHORTEST_MASKED_INSIDE).isEqualTo(4);
    Redactor redactor = new Redactor(List.of());
    redactor.learn("abcd");
    redactor.learn("xyz");
    assertThat(redactor.redact("id abcd here")).isEqualTo("id **** here");
    assertThat(redactor.redact("id xyz here")).isEqualTo("id xyz here");
    assertThat(redactor.redact("xyz")).isEqualTo("****");
  }

  @Test
  void valuesMapsAndListsAreRedactedAllTheWayDown() {
    Redactor redactor = new Redactor(List.of("tok-123456"));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("tok-123456", List.of("a tok-123456", 7, Map.of("k", "tok-123456")));
    nested.put("n", 3);
    assertThat(redactor.redactMap(nested))
        .containsExactly(
            Map.entry("****", List.of("a ****", 7, Map.of("k", "****"))), Map.entry("n", 3));
    assertThat(redactor.redactValue(null)).isNull();
    assertThat(redactor.redact(null)).isNull();
    assertThat(redactor.redactStrings(Map.of("a", "tok-123456", "b", "x")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "****", "b", "x"));
  }
}
