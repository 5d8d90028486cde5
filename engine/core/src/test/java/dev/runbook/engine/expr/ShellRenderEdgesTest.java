package dev.runbook.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.ShellScript;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.parse.TemplateParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of rendering a shell line: the whole refusal messages, values that begin with NUL,
 * quoted heredocs made expanding after a reference, variable names that collide, and lines where a
 * second parser hides inside {@code $(…)} or behind a line continuation. Run by the real /bin/sh.
 */
class ShellRenderEdgesTest {

  @TempDir Path dir;

  private static Template template(String text) {
    return TemplateParser.parse(text, Position.start("t"), Set.of("item"), new ArrayList<>());
  }

  private static ShellRender.Result render(String line, String value) {
    return ShellRender.render(
        template(line), new Bindings(Map.of("V", Value.plain(value)), id -> null));
  }

  private String run(ShellScript script) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("/bin/sh", "-c", script.script()).directory(dir.toFile());
    builder.environment().putAll(script.environment());
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  @Test
  void aRefusalNamesTheReferenceAndWhy() {
    assertThat(render("sh -c \"echo ${params.V}\"", "x").refused())
        .containsExactly(
            "${params.V} is inside the command string of `sh -c`, which a second shell parses as"
                + " code; write that command string in single quotes ('… ${…} …'), where the value"
                + " reaches the inner shell as an environment variable");
    assertThat(render("tar -xf ${params.V}", "-x").refused())
        .containsExactly(
            "${params.V} begins a word, and its value starts with '-', so the command would read"
                + " it as an option; if that is meant, declare the parameter with"
                + " allow_leading_dash: true, or put -- before the operands");
    assertThat(render("echo $(( ${params.V} + 1 ))", "x").refused())
        .containsExactly("${params.V} is used in $((…)) arithmetic, so it must be a whole number");
  }

  @Test
  void aValueWithANulByteIsRefusedWhereverTheNulIs() {
    for (String value : new String[] {"\0a", "a\0", "a\0b"}) {
      assertThat(render("echo ${params.V}", value).refused())
          .containsExactly("${params.V} holds a NUL byte, which no command can receive");
    }
    assertThat(render("echo ${params.V}", "ab").refused()).isEmpty();
  }

  @Test
  void aQuotedHeredocAfterAReferenceIsStillReadLiterally() throws Exception {
    ShellRender.Result result =
        render(
            "printf '%s|' ${params.V} && cat <<'EOF';printf done\n[${params.V}] $HOME `x` \\n\nEOF",
            "v a l");
    assertThat(result.refused()).isEmpty();
    assertThat(run(result.script())).isEqualTo("v a l|[v a l] $HOME `x` \\n\ndone");
  }

  @Test
  void collidingVariableNamesAreNumbered() {
    ShellRender.Result result =
        ShellRender.render(
            template("echo ${steps.a-b.stdout} ${steps.a_b.stdout} ${steps.a.b_stdout}"),
            new Bindings(
                Map.of(),
                id ->
                    switch (id) {
                      case "a-b" -> Map.of("stdout", "1");
                      case "a_b" -> Map.of("stdout", "2");
                      case "a" -> Map.of("b_stdout", "3");
                      default -> null;
                    }));
    assertThat(result.script().script())
        .isEqualTo(
            "echo \"${RB_STEP_a_b_stdout}\" \"${RB_STEP_a_b_stdout_2}\""
                + " \"${RB_STEP_a_b_stdout_3}\"");
    assertThat(result.script().environment())
        .containsExactly(
            Map.entry("RB_STEP_a_b_stdout", "1"),
            Map.entry("RB_STEP_a_b_stdout_2", "2"),
            Map.entry("RB_STEP_a_b_stdout_3", "3"));
  }

  @Test
  void aSecondShellInsideACommandSubstitutionIsFound() {
    for (String line :
        new String[] {
          "x=\"$(sh -c \"echo ${params.V}\")\"",
          "x=$(echo ${params.V} | sh)",
          "x=`sh -c \"echo ${params.V}\"`",
          "echo \"$(eval echo ${params.V})\" done"
        }) {
      assertThat(render(line, "x").refused()).as(line).isNotEmpty();
    }
  }

  @Test
  void aLineContinuationJoinsTheCommand() {
    assertThat(render("sh \\\n  -c \"echo ${params.V}\"", "x").refused()).isNotEmpty();
    assertThat(render("echo \\\n ${params.V}", "x").refused()).isEmpty();
  }

  @Test
  void aHereStringIsStandardInput() {
    assertThat(render("sh <<< ${params.V}", "x").refused()).isNotEmpty();
    assertThat(render("cat <<< ${params.V}", "x").refused()).isEmpty();
  }

  @Test
  void aValueBeginsAWordAfterEmptyQuotesButNotAfterText() {
    for (String line :
        new String[] {
          "tar -xf '${params.V}'",
          "tar -xf ''${params.V}",
          "tar -xf \"\"${params.V}",
          "tar -xf \"${params.V}\"",
          "tar -xf ${params.V}x"
        }) {
      assertThat(render(line, "-x").refused()).as(line).isNotEmpty();
    }
    for (String line :
        new String[] {
          "tar -xf 'a${params.V}'", "tar -xf 'a'${params.V}", "tar -xf \"a\"${params.V}",
          "tar -xf \"a${params.V}\"", "tar -xf a\"${params.V}\"", "tar -xf \\ ${params.V}x"
        }) {
      assertThat(render(line, "-x").refused()).as(line).isEmpty();
    }
  }

  /** What follows a construct is still read: a second shell after it is found. */
  @Test
  void theLineGoesOnAfterEachConstruct() {
    String second = "sh -c \"echo ${params.V}\"";
    for (String first :
        new String[] {
          "cat <<EOF\n[${params.V}]\nEOF\necho x\n",
          "cat <<EOF\n[${params.V}]\nEOF\n",
          "cat <<'EOF'\n[${params.V}]\nEOF\n",
          "cat <<-EOF\n\t[${params.V}]\n\tEOF\n",
          "cat <<EOF; cat <<END\none\nEOF\ntwo\nEND\n",
          "echo $(( (${params.V}) + (1) ));",
          "echo ${HOME:-x} ${params.V};",
          "printf '%s' $'it\\'s' ${params.V};",
          "echo \"$(echo \"(\")\";",
          "echo `echo x`;"
        }) {
      assertThat(render(first + second, "1").refused()).as(first).isNotEmpty();
      assertThat(render(first + "echo done", "1").refused()).as(first).isEmpty();
    }
  }

  @Test
  void aValueAfterTheShellsOwnExpansionIsAWordOfItsOwn() {
    assertThat(render("echo ${X:-{a\\}} ${params.V}", "a").refused()).isEmpty();
    assertThat(render("echo ${X:-{a}} ${params.V}", "-a").refused())
        .as("the value begins a word after the expansion")
        .isNotEmpty();
  }

  @Test
  void aSecondShellInsideAnExpandingHeredocIsFound() {
    assertThat(render("cat <<EOF\n$(sh -c \"echo ${params.V}\")\nEOF", "a").refused()).isNotEmpty();
    assertThat(render("cat <<EOF\n`sh -c \"echo ${params.V}\"`\nEOF", "a").refused()).isNotEmpty();
    assertThat(render("cat <<EOF\n\\$(sh -c \"echo ${params.V}\")\nEOF", "a").refused())
        .as("an escaped $ starts no substitution")
        .isEmpty();
  }

  @Test
  void nestedArithmeticIsComputedByTheShell() throws Exception {
    ShellRender.Result result = render("echo $(( (${params.V} + 1) * (2) ))", "41");
    assertThat(result.refused()).isEmpty();
    assertThat(run(result.script())).isEqualTo("84\n");
  }

  @Test
  void aRedirectionBeforeTheNestedCommandDoesNotHideIt() {
    // 2>&1, >|log and > log are redirections: the digits, the &, the | and the file are not
    // words or operators, so sudo still runs `sh -c` and the value is still inside its command
    for (String line :
        new String[] {
          "sudo 2>&1 sh -c ${params.V}",
          "sudo 2>/dev/null sh -c ${params.V}",
          "sudo >|log sh -c ${params.V}",
          "sudo 10>lock sh -c ${params.V}",
          "sudo > log sh -c ${params.V}"
        }) {
      assertThat(render(line, "x").refused())
          .as(line)
          .containsExactly(
              "${params.V} is inside the command of `sh -c`, which starts its shell without this"
                  + " run's environment, so the value cannot reach it safely; run the step as that"
                  + " user with the target's user: or become: instead");
    }
  }

  @Test
  void aHeredocDelimiterAfterABlankStillOpensTheHeredoc() throws Exception {
    ShellRender.Result result = render("cat << EOF\n[${params.V}]\nEOF", "v a l");
    assertThat(result.refused()).isEmpty();
    assertThat(run(result.script())).isEqualTo("[v a l]\n");
    ShellRender.Result stripped = render("cat <<- EOF\n\t[${params.V}]\n\tEOF", "v");
    assertThat(run(stripped.script())).isEqualTo("[v]\n");
  }
}
