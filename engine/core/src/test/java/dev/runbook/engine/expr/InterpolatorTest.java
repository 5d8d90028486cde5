package dev.runbook.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.Secret;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.parse.TemplateParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InterpolatorTest {

  private static Template template(String text) {
    return TemplateParser.parse(text, Position.start("t"), Set.of(), new ArrayList<>());
  }

  private static final Bindings BINDINGS =
      new Bindings(
          Map.of(
              "Dir", Value.plain("/opt/Big Data"),
              "Host", Value.plain("node-1"),
              "Evil", Value.plain("x; rm -rf / #"),
              "Password", Value.secret("hunter2")),
          id ->
              id.equals("read")
                  ? Map.of("stdout", "42", "json", Map.of("items", List.of("a", "b")))
                  : null);

  @Test
  void shellModeQuotesEachValueAsOneWord() {
    Rendered r =
        Interpolator.render(
            template("cd ${params.Dir}/x && echo ${params.Evil}"),
            Interpolator.Mode.SHELL,
            BINDINGS);
    assertThat(r.text()).isEqualTo("cd '/opt/Big Data'/x && echo 'x; rm -rf / #'");
    assertThat(r.secret()).isFalse();
    assertThat(r.unresolved()).isEmpty();
  }

  /**
   * The proof that matters: whatever the value and wherever it stands in a copied vendor command
   * (bare, in double quotes, in single quotes), /bin/sh reads it back as the literal value.
   */
  @ParameterizedTest
  @MethodSource("hostileValuesInEveryQuoteContext")
  void shellReadsEveryValueBackLiterally(String line, String value, String expected)
      throws Exception {
    Bindings bindings = new Bindings(Map.of("V", Value.plain(value)), id -> null);
    String script = Interpolator.render(template(line), Interpolator.Mode.SHELL, bindings).text();
    Process sh = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
    String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(output).as(script).isEqualTo(expected.replace("V", value));
  }

  static Stream<Arguments> hostileValuesInEveryQuoteContext() {
    List<String> values =
        List.of(
            "x; touch /tmp/runbook-pwned",
            "$(id)",
            "`id`",
            "a'b",
            "a\"b",
            "back\\slash",
            "$HOME",
            "two\nlines",
            "-n",
            "");
    List<String[]> lines =
        List.of(
            new String[] {"printf '[%s]' ${params.V}", "[V]"},
            new String[] {"printf '[%s]' \"${params.V}\"", "[V]"},
            new String[] {"printf '[%s]' \"pre ${params.V} post\"", "[pre V post]"},
            new String[] {"printf '[%s]' 'pre ${params.V} post'", "[pre V post]"},
            new String[] {"printf '[%s]' pre\\ ${params.V}", "[pre V]"});
    List<Arguments> cases = new ArrayList<>();
    for (String[] line : lines) {
      for (String value : values) {
        if (value.isEmpty() && line[0].endsWith("${params.V}")) {
          continue; // an empty bare word is '' : one empty argument, shown as [] below
        }
        cases.add(Arguments.of(line[0], value, line[1]));
      }
    }
    cases.add(Arguments.of("printf '[%s]' ${params.V}", "", "[]"));
    return cases.stream();
  }

  @Test
  void textModeInsertsValuesAsTheyAre() {
    Rendered r =
        Interpolator.render(
            template("host ${params.Host} dir ${params.Dir}"), Interpolator.Mode.TEXT, BINDINGS);
    assertThat(r.text()).isEqualTo("host node-1 dir /opt/Big Data");
  }

  @Test
  void secretsAreMaskedInTheShownTextAndTypedForRequests() {
    Rendered r =
        Interpolator.render(
            template("mysql -p${params.Password}"), Interpolator.Mode.TEXT, BINDINGS);
    assertThat(r.text()).isEqualTo("mysql -phunter2");
    assertThat(r.masked()).isEqualTo("mysql -p****");
    assertThat(r.forRequest()).isInstanceOf(Secret.class);
    assertThat(r.forRequest().toString()).isEqualTo("mysql -p****");
  }

  @Test
  void readsStepResultsByPath() {
    assertThat(
            Interpolator.render(
                    template("${steps.read.stdout} ${steps.read.json.items.1}"),
                    Interpolator.Mode.TEXT,
                    BINDINGS)
                .text())
        .isEqualTo("42 b");
  }

  @Test
  void missingValuesAreShownAndListed() {
    Rendered r =
        Interpolator.render(
            template("ssh ${params.Standby} ${steps.later.stdout}"),
            Interpolator.Mode.SHELL,
            BINDINGS);
    assertThat(r.text()).isEqualTo("ssh <params.Standby> <steps.later.stdout>");
    assertThat(r.unresolved()).containsExactly("params.Standby", "steps.later.stdout");
  }
}
