package dev.runbook.engine;

import dev.runbook.engine.expr.Expressions;
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

  /** The runbook, which must be valid. */
  public static Runbook valid(String yaml) {
    List<String> problems = problems(yaml);
    if (!problems.isEmpty()) {
      throw new AssertionError("expected a valid runbook, got:\n" + String.join("\n", problems));
    }
    return parse(yaml).runbook();
  }
}
