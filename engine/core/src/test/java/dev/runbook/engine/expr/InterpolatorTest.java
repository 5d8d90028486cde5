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
            Interpolator.Mode.TEXT,
            BINDINGS);
    assertThat(r.text()).isEqualTo("ssh <params.Standby> <steps.later.stdout>");
    assertThat(r.unresolved()).containsExactly("params.Standby", "steps.later.stdout");
  }
}
