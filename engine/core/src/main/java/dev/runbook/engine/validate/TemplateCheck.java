package dev.runbook.engine.validate;

import dev.runbook.engine.model.Captures;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.parse.Suggestions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every {@code ${...}} of a template names something in scope where the template stands. */
final class TemplateCheck {

  private static final List<String> ROOTS = List.of("params", "inputs", "steps", "captured");

  /** Target templates are shared by all procedures: any input name is accepted there. */
  static final Procedure ANY_PROCEDURE =
      new Procedure("*", null, Map.of(), List.of(), Position.start("*"));

  private final Runbook runbook;
  private final Captures captures;
  private final Set<String> allStepIds;
  private final List<Problem> problems;

  private final boolean library;

  /**
   * @param library whether the templates are a library's, which has no parameters and captures
   *     nothing: its procedures take what they need as inputs
   */
  TemplateCheck(
      Runbook runbook,
      Captures captures,
      Set<String> allStepIds,
      List<Problem> problems,
      boolean library) {
    this.runbook = runbook;
    this.captures = captures;
    this.allStepIds = allStepIds;
    this.problems = problems;
    this.library = library;
  }

  /**
   * @param procedure the procedure the template is in, null in the main steps, or {@link
   *     #ANY_PROCEDURE}
   * @param what who holds the template, for messages: {@code step 'x': input 'command'}
   */
  void check(Template template, Procedure procedure, Set<String> loopVars, String what) {
    for (Template.Reference ref : template.references()) {
      Position at = template.positionOf(ref);
      String root = ref.root();
      if (loopVars.contains(root)) {
        continue;
      }
      if (!ROOTS.contains(root)) {
        Set<String> roots = new LinkedHashSet<>(ROOTS);
        roots.addAll(loopVars);
        problems.add(
            new Problem(
                at,
                what
                    + ": unknown reference '${"
                    + ref.dotted()
                    + "}'"
                    + Suggestions.hint(root, roots)
                    + "; references start with "
                    + String.join(", ", roots)));
        continue;
      }
      if (ref.path().size() < 2) {
        problems.add(
            new Problem(at, what + ": '${" + root + "}' needs a name: ${" + root + ".NAME}"));
        continue;
      }
      if (root.equals("captured") && ref.path().size() > 2) {
        problems.add(
            new Problem(
                at,
                what
                    + ": '${"
                    + ref.dotted()
                    + "}': a captured value is one value, with no fields; write ${captured."
                    + ref.path().get(1)
                    + "}"));
        continue;
      }
      String problem = problem(root, ref.path().get(1), procedure);
      if (problem != null) {
        problems.add(new Problem(at, what + ": " + problem));
      }
    }
  }

  private String problem(String root, String name, Procedure procedure) {
    if (library && (root.equals("params") || root.equals("captured"))) {
      return "'${"
          + root
          + "."
          + name
          + "}': a library procedure sees only its inputs (it has no parameters and captures"
          + " nothing); take the value as an input, given by the runbook that calls it";
    }
    switch (root) {
      case "params" -> {
        if (!runbook.params().containsKey(name)) {
          return "unknown parameter '"
              + name
              + "'"
              + Suggestions.hint(name, runbook.params().keySet());
        }
      }
      case "inputs" -> {
        if (procedure == null) {
          return "'${inputs." + name + "}' exists only inside a procedure";
        }
        if (procedure != ANY_PROCEDURE && !procedure.inputs().containsKey(name)) {
          return "procedure '"
              + procedure.name()
              + "' has no input '"
              + name
              + "'"
              + Suggestions.hint(name, procedure.inputs().keySet());
        }
      }
      case "captured" -> {
        if (!captures.has(name)) {
          return "no step captures '"
              + name
              + "'"
              + Suggestions.hint(name, captures.byName().keySet())
              + (captures.byName().isEmpty()
                  ? "; a step captures a value with capture: {name: " + name + ", type: …}"
                  : "");
        }
      }
      default -> {
        if (!allStepIds.contains(name)) {
          return "no step '" + name + "'" + Suggestions.hint(name, allStepIds);
        }
      }
    }
    return null;
  }
}
