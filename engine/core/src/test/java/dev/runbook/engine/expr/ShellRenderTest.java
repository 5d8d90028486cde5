package dev.runbook.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.ShellScript;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.parse.TemplateParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values reach a shell line as environment variables the line references: run by the real {@code
 * /bin/sh} (dash here) and by bash, every construct a vendor procedure uses reads every hostile
 * value back literally, and no value ever runs a command. Where a second parser would read the
 * value (sh -c "…", su - -c, eval, awk programs, pipes and heredocs into sh), the line is refused.
 */
class ShellRenderTest {

  /** Each value tries to run {@code touch PWNED} (in the test's own directory) some way. */
  static final List<String> HOSTILE =
      List.of(
          "x; touch PWNED",
          "$(touch PWNED)",
          "`touch PWNED`",
          "a'b; touch PWNED; '",
          "a\"b; touch PWNED; \"",
          "back\\slash\\",
          "$HOME",
          "${HOME}",
          "two\nlines; touch PWNED",
          "x\ntouch PWNED\n",
          "EOF\ntouch PWNED\nEOF",
          "~",
          "~/x",
          "a?c",
          "[ab]",
          "#x",
          "a*",
          "*",
          "x )",
          "}",
          "' ; touch PWNED ; echo '",
          "\"$(touch PWNED)\"",
          "héllo wörld ✓",
          "");

  static final List<String> SHELLS = List.of("/bin/sh", "/bin/bash");

  @TempDir Path dir;

  private static Template template(String text) {
    return TemplateParser.parse(text, Position.start("t"), Set.of("item"), new ArrayList<>());
  }

  private static Bindings bindings(String value) {
    return new Bindings(Map.of("V", Value.plain(value)), id -> null);
  }

  /** Runs the rendered line in {@code dir} and returns what it printed (stdout and stderr). */
  private String run(String shell, ShellScript script) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(shell, "-c", script.script()).directory(dir.toFile());
    builder.environment().putAll(script.environment());
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("constructs")
  void everyValueIsReadBackLiterallyAndNothingRuns(String shell, String line, String expected)
      throws Exception {
    for (String value : HOSTILE) {
      if (line.contains("$((")) {
        continue;
      }
      ShellRender.Result result = ShellRender.render(template(line), bindings(value));
      assertThat(result.refused()).as(line).isEmpty();
      String script = result.script().script();
      assertThat(script).as("values never appear in the line").doesNotContain("PWNED");
      String output = run(shell, result.script());
      // Command substitution drops trailing newlines: that is the shell, not the value.
      String shown =
          line.contains("$(printf") || line.contains("`printf")
              ? value.replaceAll("\\n+$", "")
              : value;
      assertThat(output)
          .as(shell + " ran " + script + " with V=" + value)
          .isEqualTo(expected.replace("V", shown));
      assertThat(dir.resolve("PWNED")).as(script + " with V=" + value).doesNotExist();
    }
  }

  static Stream<Arguments> constructs() {
    List<String[]> lines =
        List.of(
            new String[] {"printf '[%s]' ${params.V}", "[V]"},
            new String[] {"printf '[%s]' \"${params.V}\"", "[V]"},
            new String[] {"printf '[%s]' \"pre ${params.V} post\"", "[pre V post]"},
            new String[] {"printf '[%s]' 'pre ${params.V} post'", "[pre V post]"},
            new String[] {"printf '[%s]' pre\\ ${params.V}", "[pre V]"},
            new String[] {"printf '[%s]' x${params.V}y", "[xVy]"},
            new String[] {"printf '[%s]' \"$(printf %s ${params.V})\"", "[V]"},
            new String[] {"printf '[%s]' \"$(printf %s \"${params.V}\")\"", "[V]"},
            new String[] {"printf '[%s]' \"`printf %s ${params.V}`\"", "[V]"},
            new String[] {"x=$(printf %s ${params.V}); printf '[%s]' \"$x\"", "[V]"},
            new String[] {"X=${params.V}; printf '[%s]' \"$X\"", "[V]"},
            new String[] {"cat <<EOF\n[${params.V}]\nEOF", "[V]\n"},
            new String[] {"cat <<'EOF'\n[${params.V}] $HOME `x` \\n\nEOF", "[V] $HOME `x` \\n\n"},
            new String[] {"cat <<\"EOF\"\n[${params.V}]\nEOF\nprintf done", "[V]\ndone"},
            new String[] {"cat <<-EOF\n\t[${params.V}]\n\tEOF", "[V]\n"},
            new String[] {"sh -c 'printf \"[%s]\" \"${params.V}\"'", "[V]"},
            new String[] {"sh -c 'printf \"[%s]\" ${params.V}'", "[V]"},
            new String[] {"flock -x lockf -c 'printf \"[%s]\" \"${params.V}\"'", "[V]"},
            new String[] {"flock lockf sh -c 'printf \"[%s]\" \"${params.V}\"'", "[V]"},
            new String[] {"bash -c 'printf \"[%s]\" \"a ${params.V} b\"'", "[a V b]"},
            new String[] {"sh <<'EOF'\nprintf '[%s]' ${params.V}\nEOF", "[V]"},
            new String[] {
              "printf start # it's ${params.V}\nprintf ' [%s]' ${params.V}", "start [V]"
            },
            new String[] {"# ${params.V}\nprintf ok", "ok"},
            new String[] {"for x in ${params.V}; do printf '[%s]' \"$x\"; done", "[V]"},
            new String[] {"case ${params.V} in *) printf '[%s]' ${params.V};; esac", "[V]"},
            new String[] {"printf '[%s]' \"${params.V}\" > out && cat out", "[V]"},
            new String[] {"awk -v v=${params.V} 'BEGIN { printf \"[%s]\", v }'", "[V]"});
    List<Arguments> cases = new ArrayList<>();
    for (String shell : SHELLS) {
      for (String[] line : lines) {
        cases.add(Arguments.of(shell, line[0], line[1]));
      }
    }
    return cases.stream();
  }

  @Test
  void awkVariablesGetBackslashEscapesButNeverRunCode() throws Exception {
    // awk -v reads escapes in the value (\\n): data, not code. Nothing runs.
    ShellRender.Result result =
        ShellRender.render(
            template("awk -v v=${params.V} 'BEGIN { printf \"[%s]\", v }'"),
            bindings("a\\nb\"; system(\"touch PWNED\") #"));
    assertThat(run("/bin/sh", result.script())).isEqualTo("[a\nb\"; system(\"touch PWNED\") #]");
    assertThat(dir.resolve("PWNED")).doesNotExist();
  }

  @ParameterizedTest
  @MethodSource("secondParsers")
  void aValueWhereASecondParserReadsItIsRefused(String line, String because) {
    List<ShellRender.Refusal> refusals = ShellRender.refusals(template(line));
    assertThat(refusals).as(line).isNotEmpty();
    assertThat(refusals.get(0).message()).as(line).contains("${params.V}").contains(because);
    ShellRender.Result result = ShellRender.render(template(line), bindings("x"));
    assertThat(result.refused()).as("a run refuses it too").isNotEmpty();
  }

  static Stream<Arguments> secondParsers() {
    return Stream.of(
        Arguments.of("sh -c \"echo ${params.V}\"", "single quotes"),
        Arguments.of("bash -c \"echo ${params.V}\"", "single quotes"),
        Arguments.of("sh -xc echo\\ ${params.V}", "single quotes"),
        Arguments.of("su - omm -c 'echo ${params.V}'", "without this run's environment"),
        Arguments.of("su omm -c \"echo ${params.V}\"", "single quotes"),
        Arguments.of("sudo -u omm sh -c 'echo ${params.V}'", "without this run's environment"),
        Arguments.of("eval \"echo ${params.V}\"", "single quotes"),
        Arguments.of("ssh node-1 echo ${params.V}", "without this run's environment"),
        Arguments.of("awk '/${params.V}/ {print}' f", "awk program"),
        Arguments.of("awk \"BEGIN { print ${params.V} }\"", "awk program"),
        Arguments.of("sed -e \"s/x/${params.V}/\" f", "sed script"),
        Arguments.of("python3 -c \"print('${params.V}')\"", "python"),
        Arguments.of("echo ${params.V} | sh", "piped into"),
        Arguments.of("printf '%s' \"${params.V}\" | bash -s", "piped into"),
        Arguments.of("cat <<EOF | sh\n${params.V}\nEOF", "quote the delimiter"),
        Arguments.of("sh <<EOF\necho ${params.V}\nEOF", "quote the delimiter"),
        Arguments.of("su omm <<EOF\necho ${params.V}\nEOF", "quote the delimiter"),
        Arguments.of("ssh node-1 <<'EOF'\necho ${params.V}\nEOF", "reads as code"),
        Arguments.of("bash <<< \"echo ${params.V}\"", "reads as code"),
        Arguments.of("find / -exec sh -c \"echo ${params.V}\" \\;", "single quotes"),
        Arguments.of("timeout 5 bash -c \"echo ${params.V}\"", "single quotes"),
        Arguments.of("watch \"echo ${params.V}\"", "single quotes"),
        Arguments.of("flock /tmp/l -c \"echo ${params.V}\"", "single quotes"),
        Arguments.of("flock /tmp/l sh -c \"echo ${params.V}\"", "single quotes"),
        Arguments.of("printf $'a ${params.V}'", "$'…'"));
  }

  @Test
  void aValueThatBeginsAWordMayNotStartWithADash() {
    Template line = template("tar -xf ${params.V}");
    ShellRender.Result result = ShellRender.render(line, bindings("--use-compress-program=sh"));
    assertThat(result.refused()).singleElement().asString().contains("read it as an option");
    assertThat(ShellRender.render(template("tar -xf \"${params.V}\""), bindings("-x")).refused())
        .isNotEmpty();
    assertThat(ShellRender.render(template("tar -xf ./${params.V}"), bindings("-x")).refused())
        .as("not at the start of its word")
        .isEmpty();
    assertThat(ShellRender.render(template("rm -- ${params.V}"), bindings("-rf")).refused())
        .as("after --")
        .isEmpty();
    Bindings allowed = new Bindings(Map.of("V", new Value("-v", false, true)), id -> null);
    assertThat(ShellRender.render(template("ls ${params.V}"), allowed).refused())
        .as("allow_leading_dash")
        .isEmpty();
  }

  @Test
  void arithmeticTakesWholeNumbersOnly() throws Exception {
    Template line = template("echo $(( ${params.V} + 1 ))");
    assertThat(ShellRender.render(line, bindings("41")).refused()).isEmpty();
    assertThat(run("/bin/bash", ShellRender.render(line, bindings("41")).script()))
        .isEqualTo("42\n");
    assertThat(ShellRender.render(line, bindings("a[$(touch PWNED)]")).refused()).isNotEmpty();
  }

  @Test
  void theLineHoldsNoValueAndTheEnvironmentNamesEach() {
    ShellRender.Result result =
        ShellRender.render(
            template("cd ${params.V}/x && ls \"${params.V}\" ${steps.read-cert.stdout}"),
            new Bindings(
                Map.of("V", Value.plain("/opt/Big Data")),
                id -> id.equals("read-cert") ? Map.of("stdout", "ok") : null));
    assertThat(result.script().script())
        .isEqualTo(
            "cd \"${RB_PARAM_V}\"/x && ls \"${RB_PARAM_V}\" \"${RB_STEP_read_cert_stdout}\"");
    assertThat(result.script().environment())
        .containsExactly(
            Map.entry("RB_PARAM_V", "/opt/Big Data"), Map.entry("RB_STEP_read_cert_stdout", "ok"));
    assertThat(result.script().readable()).isEqualTo("cd /opt/Big Data/x && ls /opt/Big Data ok");
  }

  @Test
  void secretsAreSecretInTheEnvironmentAndNeverInTheLine() {
    ShellRender.Result result =
        ShellRender.render(
            template("mysql -p${params.P}"),
            new Bindings(Map.of("P", Value.secret("hunter2hunter2")), id -> null));
    assertThat(result.script().script()).isEqualTo("mysql -p\"${RB_PARAM_P}\"");
    assertThat(result.script().shownEnvironment()).containsEntry("RB_PARAM_P", "****");
    assertThat(result.script().environment()).containsEntry("RB_PARAM_P", "hunter2hunter2");
    assertThat(result.script().holdsSecret()).isTrue();
  }

  @Test
  void missingValuesAreListedAndShownAsPlaceholders() {
    ShellRender.Result result =
        ShellRender.render(template("ssh ${params.Standby} x"), bindings("v"));
    assertThat(result.unresolved()).containsExactly("params.Standby");
    assertThat(result.script().shownEnvironment())
        .containsEntry("RB_PARAM_Standby", "<params.Standby>");
  }

  @Test
  void aLiteralHeredocReadAsDataKeepsItsTextExactly() throws Exception {
    Template line = template("cat <<'X'\n$HOME `id` \\ ${params.V} $(id)\nX");
    String output = run("/bin/sh", ShellRender.render(line, bindings("v$(id)")).script());
    assertThat(output).isEqualTo("$HOME `id` \\ v$(id) $(id)\n");
    assertThat(Files.list(dir)).isEmpty();
  }
}
