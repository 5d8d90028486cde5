package dev.runbook.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateParserTest {

  private static Template parse(String text, Set<String> loopVars, List<String> problems) {
    return TemplateParser.parse(text, new Position("f", 3, 7), loopVars, problems);
  }

  @Test
  void findsRunbookReferencesAndLeavesShellVariablesAlone() {
    List<String> problems = new ArrayList<>();
    Template t =
        parse(
            "cd ${BIGDATA_HOME}/x && ls ${params.Dir} ${HOME:-/root} ${steps.read-cert.stdout}",
            Set.of(),
            problems);
    assertThat(problems).isEmpty();
    assertThat(t.references())
        .extracting(Template.Reference::dotted)
        .containsExactly("params.Dir", "steps.read-cert.stdout");
    assertThat(t.parts().get(0)).isEqualTo(new Template.Literal("cd ${BIGDATA_HOME}/x && ls "));
  }

  @Test
  void loopVariablesAreReferencesOnlyWhereInScope() {
    assertThat(parse("${host}", Set.of("host"), new ArrayList<>()).references()).hasSize(1);
    assertThat(parse("${host}", Set.of(), new ArrayList<>()).isLiteral()).isTrue();
  }

  @Test
  void doubleDollarWritesALiteral() {
    Template t = parse("echo $${params.X}", Set.of(), new ArrayList<>());
    assertThat(t.isLiteral()).isTrue();
    assertThat(t.parts()).containsExactly(new Template.Literal("echo ${params.X}"));
  }

  @Test
  void referencePositionIsItsColumnInTheFile() {
    Template t = parse("ab ${params.X}", Set.of(), new ArrayList<>());
    assertThat(t.positionOf(t.references().get(0)).toString()).isEqualTo("f:3:10");
  }

  @Test
  void unclosedReferenceIsAProblem() {
    List<String> problems = new ArrayList<>();
    Template t = parse("echo ${params.X", Set.of(), problems);
    assertThat(problems).containsExactly("'${' at column offset 5 is never closed with '}'");
    assertThat(t.isLiteral()).isTrue();
  }
}
