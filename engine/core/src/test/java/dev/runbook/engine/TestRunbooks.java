package dev.runbook.engine;

import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.library.Linker;
import dev.runbook.engine.model.Library;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.ParseResult;
import dev.runbook.engine.parse.RunbookParser;
import dev.runbook.engine.plugin.PluginRegistry;
import dev.runbook.engine.validate.RunbookValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses and validates runbook text for tests, with the fake command plugin installed. */
public final class TestRunbooks {

  public static final FakeCommandPlugin PLUGIN = new FakeCommandPlugin();
  public static final PluginRegistry REGISTRY = PluginRegistry.of(List.of(PLUGIN));
  private static final Expressions EXPRESSIONS = new Expressions();

  private TestRunbooks() {}

  public static ParseResult parse(String yaml) {
    return new RunbookParser(REGISTRY).parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  /** Every problem, parse and validation, as "file:line:column: message" strings. */
  public static List<String> problems(String yaml) {
    ParseResult result = parse(yaml);
    List<Problem> problems = new ArrayList<>(result.problems());
    if (result.runbook() != null) {
      problems.addAll(new RunbookValidator(REGISTRY, EXPRESSIONS).validate(result.runbook()));
    }
    return problems.stream().distinct().sorted(Problem.BY_POSITION).map(Problem::toString).toList();
  }

  /**
   * Every problem of a runbook linked to the libraries given as text (files {@code lib-1.yaml},
   * {@code lib-2.yaml} …), as "file:line:column: message" strings: linking, then validation.
   */
  public static List<String> problemsWith(String yaml, String... libraries) {
    Linker.Linked linked = link(yaml, libraries);
    List<Problem> problems = new ArrayList<>(parse(yaml).problems());
    problems.addAll(linked.problems());
    problems.addAll(new RunbookValidator(REGISTRY, EXPRESSIONS).validate(linked.runbook()));
    return problems.stream().distinct().sorted(Problem.BY_POSITION).map(Problem::toString).toList();
  }

  /** The runbook linked to the libraries given as text; it must be valid. */
  public static Runbook validWith(String yaml, String... libraries) {
    List<String> problems = problemsWith(yaml, libraries);
    if (!problems.isEmpty()) {
      throw new AssertionError("expected a valid runbook, got:\n" + String.join("\n", problems));
    }
    return link(yaml, libraries).runbook();
  }

  /** A library file's problems, parse and validation, as strings. */
  public static List<String> libraryProblems(String yaml) {
    ParseResult result =
        new RunbookParser(REGISTRY).parse("lib.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    List<Problem> problems = new ArrayList<>(result.problems());
    if (result.library() != null) {
      problems.addAll(new RunbookValidator(REGISTRY, EXPRESSIONS).validate(result.library()));
    }
    return problems.stream().distinct().sorted(Problem.BY_POSITION).map(Problem::toString).toList();
  }

  private static Linker.Linked link(String yaml, String... libraries) {
    List<Library> parsed = new ArrayList<>();
    for (int i = 0; i < libraries.length; i++) {
      ParseResult result =
          new RunbookParser(REGISTRY)
              .parse("lib-" + (i + 1) + ".yaml", libraries[i].getBytes(StandardCharsets.UTF_8));
      if (result.library() == null || !result.problems().isEmpty()) {
        throw new AssertionError("not a library: " + result.problems());
      }
      parsed.add(result.library());
    }
    return Linker.link(
        parse(yaml).runbook(),
        new Linker.Libraries() {
          @Override
          public List<Library> find(String name) {
            return parsed.stream().filter(l -> l.id().equals(name)).toList();
          }

          @Override
          public java.util.Set<String> names() {
            return new java.util.TreeSet<>(parsed.stream().map(Library::id).toList());
          }
        });
  }

  /** The runbook, which must be valid. */
  public static Runbook valid(String yaml) {
    List<String> problems = problems(yaml);
    if (!problems.isEmpty()) {
      throw new AssertionError("expected a valid runbook, got:\n" + String.join("\n", problems));
    }
    return parse(yaml).runbook();
  }
}
