package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.api.ShellQuoting;
import org.junit.jupiter.api.Test;

class CommandWordsTest {

  @Test
  void blanksSeparateWords() {
    assertThat(CommandWords.split("  get  pods\t-n   erlclu\n"))
        .containsExactly("get", "pods", "-n", "erlclu");
  }

  @Test
  void aSingleQuotedJsonpathFromAVendorDocumentIsOneWord() {
    assertThat(
            CommandWords.split(
                "get etcd -o=jsonpath='{range .items[0].status.conditions[?(@.type==\"EtcdMembersAvailable\")]}{.message}{\"\\n\"}'"))
        .containsExactly(
            "get",
            "etcd",
            "-o=jsonpath={range .items[0].status.conditions[?(@.type==\"EtcdMembersAvailable\")]}{.message}{\"\\n\"}");
  }

  @Test
  void doubleQuotesKeepBlanksAndHonourTheirEscapes() {
    assertThat(CommandWords.split("label pod web \"note=a b \\\"c\\\" \\$HOME \\x\""))
        .containsExactly("label", "pod", "web", "note=a b \"c\" $HOME \\x");
  }

  @Test
  void aBackslashOutsideQuotesEscapesTheNextCharacter() {
    assertThat(CommandWords.split("get pod a\\ b")).containsExactly("get", "pod", "a b");
  }

  @Test
  void aValueTheEngineQuotedForTheShellStaysOneWordWhateverItHolds() {
    String value = "web; rm -rf / 'x' $(id) `id` \"q\"";
    assertThat(CommandWords.split("get pod " + ShellQuoting.quote(value)))
        .containsExactly("get", "pod", value);
  }

  @Test
  void emptyQuotesAreAnEmptyWord() {
    assertThat(CommandWords.split("annotate pod web note=''"))
        .containsExactly("annotate", "pod", "web", "note=");
    assertThat(CommandWords.split("x ''")).containsExactly("x", "");
  }

  @Test
  void aPipeIsRefusedWithWhatToDoInstead() {
    assertThatThrownBy(() -> CommandWords.split("get nodes | grep NotReady"))
        .hasMessage(
            "'|' needs a shell, and kubectl runs without one: use jsonpath and a condition, or a"
                + " shell step, in: get nodes | grep NotReady");
  }

  @Test
  void commandSubstitutionIsRefusedInsideAndOutsideQuotes() {
    assertThatThrownBy(() -> CommandWords.split("get pod $(hostname)"))
        .hasMessage(
            "'$(' needs a shell, and kubectl runs without one: use jsonpath and a condition, or a"
                + " shell step, in: get pod $(hostname)");
    assertThatThrownBy(() -> CommandWords.split("patch etcd cluster -p \"x-$(date)\""))
        .hasMessage(
            "command substitution needs a shell, and kubectl runs without one, in: patch etcd"
                + " cluster -p \"x-$(date)\"");
  }

  @Test
  void unterminatedQuotesAndATrailingBackslashAreRefused() {
    assertThatThrownBy(() -> CommandWords.split("get pods -o jsonpath='{.items"))
        .hasMessage("unterminated ' in: get pods -o jsonpath='{.items");
    assertThatThrownBy(() -> CommandWords.split("get pods \"x"))
        .hasMessage("unterminated \" in: get pods \"x");
    assertThatThrownBy(() -> CommandWords.split("get pods \\"))
        .hasMessage("trailing \\ in: get pods \\");
  }

  @Test
  void theEdgesOfALine() {
    assertThat(CommandWords.split("get pods $")).containsExactly("get", "pods", "$");
    assertThat(CommandWords.split("label x \"a\\\"b\"")).containsExactly("label", "x", "a\"b");
    assertThat(CommandWords.split("label \"one\\\ntwo\"")).containsExactly("label", "onetwo");
    assertThat(CommandWords.split("'' x")).containsExactly("", "x");
    assertThatThrownBy(() -> CommandWords.split("label \"a\\"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unterminated \" in: label \"a\\");
    assertThatThrownBy(() -> CommandWords.split("get 'pods"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unterminated ' in: get 'pods");
  }
}
