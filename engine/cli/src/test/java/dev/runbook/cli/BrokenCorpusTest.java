package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.library.Linker;
import dev.runbook.engine.model.Library;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.parse.ParseResult;
import dev.runbook.engine.parse.RunbookParser;
import dev.runbook.engine.plugin.PluginRegistry;
import dev.runbook.engine.validate.RunbookValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broken-runbook corpus: each file states, in {@code # expect: LINE:COL: MESSAGE} lines, every
 * problem {@code runbook validate} must report for it, no more and no fewer. It lives here rather
 * than in engine/core because it uses the real {@code shell} action.
 */
class BrokenCorpusTest {

  private static final Path CORPUS = Path.of("src/test/resources/broken");
  private static final String EXPECT = "# expect: ";
  private static final PluginRegistry REGISTRY =
      PluginRegistry.load(BrokenCorpusTest.class.getClassLoader());
  private static final Expressions EXPRESSIONS = new Expressions();

  static Stream<String> files() throws IOException {
    try (Stream<Path> listing = Files.list(CORPUS)) {
      return listing
          .map(p -> p.getFileName().toString())
          .filter(BrokenCorpusTest::isCase)
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void corpusHoldsAtLeastThirtyFiles() throws IOException {
    assertThat(files().count()).isGreaterThanOrEqualTo(30);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void reportsExactlyTheExpectedProblems(String name) throws IOException {
    byte[] content = Files.readAllBytes(CORPUS.resolve(name));
    List<String> expected = expectations(new String(content, StandardCharsets.UTF_8));
    assertThat(expected).as("%s has no '# expect:' line", name).isNotEmpty();
    // Lists, not sets: a problem reported twice is a defect too.
    assertThat(problems(name, content)).as(name).containsExactlyElementsOf(expected);
  }

  /** What an operator runs: {@code runbook validate FILE}, its lines, its count and exit code. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void runbookValidateReportsTheSameThroughTheCli(String name) throws IOException {
    Path file = CORPUS.resolve(name);
    List<String> expected = expectations(Files.readString(file));
    Cli cli = Cli.runRaw("validate", file.toString());
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.INVALID_RUNBOOK);
    String prefix = file + ":";
    List<String> reported = new ArrayList<>();
    for (String line : (cli.out() + cli.err()).split("\n")) {
      if (line.startsWith(prefix)) {
        reported.add(line.substring(prefix.length()));
      }
    }
    reported.sort(null);
    assertThat(reported).as(cli.out() + cli.err()).containsExactlyElementsOf(expected);
    assertThat(cli.out() + cli.err())
        .contains(expected.size() + (expected.size() == 1 ? " problem in " : " problems in "));
    assertThat(cli.out() + cli.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aProblemReportedTwiceIsNotTheSameAsOnce() {
    // Without this, a comparison that folded duplicates would pass a doubled report.
    assertThat(List.of("1:1: x", "1:1: x")).isNotEqualTo(List.of("1:1: x"));
    assertThat(expectations("# expect: 1:1: x\n# expect: 1:1: x\n")).hasSize(2);
  }

  /** The {@code # expect:} lines, sorted, duplicates kept. */
  private static List<String> expectations(String text) {
    List<String> expected = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith(EXPECT)) {
        expected.add(line.substring(EXPECT.length()).strip());
      }
    }
    expected.sort(null);
    return expected;
  }

  /**
   * A corpus case: {@code NN-name.yaml}. Other YAML files here are companions the cases use (a
   * library), valid on purpose.
   */
  static boolean isCase(String fileName) {
    return fileName.matches("[0-9]+-.*\\.yaml");
  }

  /** The library files beside the cases (companions and cases), for the cases that use one. */
  private static Linker.Libraries corpusLibraries() throws IOException {
    List<Library> libraries = new ArrayList<>();
    try (Stream<Path> listing = Files.list(CORPUS)) {
      for (Path file : listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        String label = file.getFileName().toString();
        Library library =
            new RunbookParser(REGISTRY).parse(label, Files.readAllBytes(file)).library();
        if (library != null) {
          libraries.add(library);
        }
      }
    }
    return new Linker.Libraries() {
      @Override
      public List<Library> find(String name) {
        return libraries.stream().filter(l -> l.id().equals(name)).toList();
      }

      @Override
      public Set<String> names() {
        return new TreeSet<>(libraries.stream().map(Library::id).toList());
      }
    };
  }

  /**
   * Every parse, linking and validation problem, as {@code LINE:COL: MESSAGE} without the file
   * label.
   */
  private static List<String> problems(String label, byte[] content) throws IOException {
    ParseResult result = new RunbookParser(REGISTRY).parse(label, content);
    List<Problem> problems = new ArrayList<>(result.problems());
    if (result.runbook() != null) {
      Linker.Linked linked = Linker.link(result.runbook(), corpusLibraries());
      problems.addAll(linked.problems());
      problems.addAll(new RunbookValidator(REGISTRY, EXPRESSIONS).validate(linked.runbook()));
    } else if (result.library() != null) {
      problems.addAll(new RunbookValidator(REGISTRY, EXPRESSIONS).validate(result.library()));
    }
    List<String> formatted = new ArrayList<>();
    for (Problem problem : problems) {
      formatted.add(
          problem.position().line() + ":" + problem.position().column() + ": " + problem.message());
    }
    formatted.sort(null);
    return formatted;
  }
}
