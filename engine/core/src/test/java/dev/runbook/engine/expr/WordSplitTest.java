package dev.runbook.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.Secret;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.parse.TemplateParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** kubectl's command split into words as a POSIX shell would, with no shell run. */
class WordSplitTest {

  private static Template template(String text) {
    return TemplateParser.parse(text, Position.start("t"), Set.of("item"), new ArrayList<>());
  }

  private static WordSplit.Result split(String line, Map<String, Value> params) {
    return WordSplit.split(template(line), new Bindings(params, id -> null));
  }

  private static List<String> words(String line, Map<String, Value> params) {
    WordSplit.Result result = split(line, params);
    assertThat(result.syntaxProblem()).as(line).isNull();
    return result.words().stream().map(WordSplit.Word::text).toList();
  }

  private static List<String> words(String line) {
    return words(line, Map.of());
  }

  @Test
  void blanksSeparateWordsAndSingleQuotesKeepEverything() {
    assertThat(words("get  nodes\t-o\njsonpath='{.items[*].metadata.name}'"))
        .containsExactly("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}");
    assertThat(words("'a \"b\" \\c $(d) `e` | f'")).containsExactly("a \"b\" \\c $(d) `e` | f");
    assertThat(words("  ")).isEmpty();
    assertThat(words("''")).containsExactly("");
    assertThat(words("a'b'\"c\"d")).containsExactly("abcd");
  }

  @Test
  void doubleQuotesKeepAllButTheirFourEscapes() {
    assertThat(words("\"a \\\" \\\\ \\$ \\` 'b' \\n $x\""))
        .containsExactly("a \" \\ $ ` 'b' \\n $x");
    assertThat(words("\"one\\\ntwo\""))
        .as("a backslash-newline joins lines")
        .containsExactly("onetwo");
  }

  @Test
  void aBackslashOutsideQuotesEscapesTheNextCharacter() {
    assertThat(words("a\\ b \\' \\|")).containsExactly("a b", "'", "|");
  }

  @Test
  void aDollarSignThatStartsNoSubstitutionIsLiteral() {
    assertThat(words("echo $ $x a$")).containsExactly("echo", "$", "$x", "a$");
    assertThat(words("\"a$\"")).containsExactly("a$");
  }

  @ParameterizedTest
  @ValueSource(strings = {"|", ";", "&", "<", ">", "(", ")", "`"})
  void anOperatorOutsideQuotesNeedsAShell(String operator) {
    WordSplit.Result result = split("get pods " + operator + " x", Map.of());
    assertThat(result.syntaxProblem())
        .isEqualTo(
            "'"
                + operator
                + "' needs a shell, and this program runs without one: use jsonpath and a"
                + " condition, or a shell step");
    assertThat(result.words()).isEmpty();
    assertThat(words("'" + operator + "' \"" + (operator.equals("`") ? "x" : operator) + "\""))
        .hasSize(2);
  }

  @Test
  void commandSubstitutionNeedsAShellQuotedOrNot() {
    assertThat(split("get $(id)", Map.of()).syntaxProblem())
        .startsWith("'$(' needs a shell, and this program runs without one");
    assertThat(split("get \"$(id)\"", Map.of()).syntaxProblem())
        .isEqualTo("command substitution needs a shell, and this program runs without one");
    assertThat(split("get \"`id`\"", Map.of()).syntaxProblem())
        .isEqualTo("command substitution needs a shell, and this program runs without one");
    assertThat(WordSplit.syntaxProblem(template("get pods ${params.P}"))).isNull();
    assertThat(WordSplit.syntaxProblem(template("get pods | wc"))).contains("'|' needs a shell");
  }

  @Test
  void unfinishedQuotesAndEscapesAreRefused() {
    assertThat(split("get 'pods", Map.of()).syntaxProblem()).isEqualTo("unterminated '");
    assertThat(split("get \"pods", Map.of()).syntaxProblem()).isEqualTo("unterminated \"");
    assertThat(split("get \"pods\\", Map.of()).syntaxProblem()).isEqualTo("unterminated \"");
    assertThat(split("get pods\\", Map.of()).syntaxProblem())
        .isEqualTo("a trailing \\ escapes nothing");
  }

  @Test
  void aValueIsAlwaysInsideOneWordWhateverItHolds() {
    Map<String, Value> params = Map.of("P", Value.plain("a b'c\"d|e;$(f)"), "E", Value.plain(""));
    assertThat(words("get pod ${params.P} x${params.P}y \"${params.P}\" ${params.E} z", params))
        .containsExactly(
            "get", "pod", "a b'c\"d|e;$(f)", "xa b'c\"d|e;$(f)y", "a b'c\"d|e;$(f)", "", "z");
    assertThat(words("\"in ${params.P} quotes\"", params))
        .containsExactly("in a b'c\"d|e;$(f) quotes");
  }

  @Test
  void aValueBeginningAWordWithADashIsRefused() {
    Map<String, Value> params = Map.of("Pod", Value.plain("--all"));
    WordSplit.Result result = split("delete pod ${params.Pod}", params);
    assertThat(result.refused())
        .containsExactly(
            "${params.Pod} begins a word, and its value starts with '-', so the program would read"
                + " it as an option; if that is meant, declare the parameter with"
                + " allow_leading_dash: true, or put -- before the operands");
    assertThat(split("delete pod x${params.Pod}", params).refused()).isEmpty();
    assertThat(split("delete pod -- ${params.Pod}", params).refused()).isEmpty();
    assertThat(split("delete pod '--' ${params.Pod}", params).refused())
        .as("a quoted -- ends the options too")
        .isEmpty();
    assertThat(split("delete ${params.Pod} ${params.Pod}", params).refused()).hasSize(2);
    assertThat(
            split("delete pod ${params.Pod}", Map.of("Pod", new Value("--all", false, true)))
                .refused())
        .isEmpty();
    assertThat(split("delete pod ${params.Pod}", Map.of("Pod", Value.plain("a-b"))).refused())
        .isEmpty();
  }

  @Test
  void aValueThatSaysDashDashEndsNoOptions() {
    Map<String, Value> params = Map.of("D", new Value("--", false, true), "Pod", Value.plain("-x"));
    assertThat(split("delete ${params.D} ${params.Pod}", params).refused()).hasSize(1);
    assertThat(split("delete x-- ${params.Pod}", params).refused()).hasSize(1);
    assertThat(split("delete --x ${params.Pod}", params).refused()).hasSize(1);
  }

  @Test
  void aSecretIsMaskedInTheShownWordOnly() {
    Map<String, Value> params = Map.of("T", Value.secret("tok-123456"), "N", Value.plain("n"));
    List<WordSplit.Word> words = split("--token=${params.T} ${params.N}", params).words();
    assertThat(words)
        .containsExactly(
            new WordSplit.Word("--token=tok-123456", "--token=****", true),
            new WordSplit.Word("n", "n", false));
    assertThat(words.get(0).forRequest())
        .isInstanceOf(Secret.class)
        .hasToString("--token=****")
        .satisfies(s -> assertThat(((Secret) s).reveal()).isEqualTo("--token=tok-123456"));
    assertThat(words.get(1).forRequest()).isEqualTo("n");
  }

  @Test
  void aMissingValueIsNamedAndShownAsItsPlaceholder() {
    WordSplit.Result result = split("get ${params.Missing} x", Map.of());
    assertThat(result.unresolved()).containsExactly("params.Missing");
    assertThat(result.words())
        .extracting(WordSplit.Word::text)
        .containsExactly("get", "<params.Missing>", "x");
    assertThat(result.refused()).isEmpty();
  }
}
