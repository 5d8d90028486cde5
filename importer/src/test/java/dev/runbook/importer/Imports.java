package dev.runbook.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.parse.ParseResult;
import dev.runbook.engine.parse.RunbookParser;
import dev.runbook.engine.plugin.PluginRegistry;
import dev.runbook.engine.validate.RunbookValidator;
import dev.runbook.importer.document.Edition;
import dev.runbook.importer.read.DocumentFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Imports a document and reads the runbook back with the engine's real parser and validator (the
 * shell and ssh plugins loaded as in the CLI), so every test also proves its output is valid.
 */
final class Imports {

  private static final PluginRegistry PLUGINS = PluginRegistry.load(Imports.class.getClassLoader());
  private static final RunbookParser PARSER = new RunbookParser(PLUGINS);
  private static final RunbookValidator VALIDATOR =
      new RunbookValidator(PLUGINS, new Expressions());

  private Imports() {}

  /** An import and the runbook the engine reads from it. */
  record Imported(ImportedRunbook imported, Runbook runbook) {

    String yaml() {
      return imported.yaml();
    }

    List<Step> steps() {
      return runbook.steps();
    }

    Step step(String id) {
      return runbook
          .step(id)
          .orElseThrow(() -> new AssertionError("no step " + id + " in\n" + yaml()));
    }

    /** The steps with this ref, in order. */
    List<Step> withRef(String ref) {
      return steps().stream().filter(s -> ref.equals(s.ref())).toList();
    }

    /**
     * Every yes/no branch as "REF yes -> TARGET" where TARGET is the ref of the step it leads to,
     * or the outcome of an end ("resolved", "escalated").
     */
    TreeSet<String> edges() {
      Map<String, Step> byId =
          steps().stream().collect(Collectors.toMap(Step::id, Function.identity()));
      TreeSet<String> edges = new TreeSet<>();
      for (Step s : steps()) {
        add(edges, s, "yes", s.yes(), byId);
        add(edges, s, "no", s.no(), byId);
      }
      return edges;
    }

    private static void add(
        TreeSet<String> edges, Step s, String label, Branch b, Map<String, Step> byId) {
      if (b instanceof Branch.GoTo to) {
        edges.add(s.ref() + " " + label + " -> " + byId.get(to.stepId()).ref());
      } else if (b instanceof Branch.EndRun end) {
        edges.add(s.ref() + " " + label + " -> " + end.outcome().label());
      }
    }
  }

  static Imported resource(String name) {
    return resource(name, null);
  }

  static Imported resource(String name, Edition edition) {
    try (InputStream in = Imports.class.getResourceAsStream("/documents/" + name)) {
      assertThat(in).as("test document " + name).isNotNull();
      return text(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), edition);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Imported text(String fileName, String text) {
    return text(fileName, text, null);
  }

  static Imported text(String fileName, String text, Edition edition) {
    ImportedRunbook imported;
    try {
      imported =
          new Importer(edition).importText(Path.of(fileName), DocumentFormat.of(fileName), text);
    } catch (ImportException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    return new Imported(imported, valid(fileName, imported.yaml()));
  }

  /** The runbook the engine reads from the YAML; fails with every problem when it is not valid. */
  static Runbook valid(String label, String yaml) {
    ParseResult parsed = PARSER.parse(label, yaml.getBytes(StandardCharsets.UTF_8));
    List<Problem> problems = new ArrayList<>(parsed.problems());
    if (parsed.runbook() != null) {
      problems.addAll(VALIDATOR.validate(parsed.runbook()));
    }
    assertThat(problems).as("problems of the runbook imported from %s:%n%s", label, yaml).isEmpty();
    return parsed.runbook();
  }
}
