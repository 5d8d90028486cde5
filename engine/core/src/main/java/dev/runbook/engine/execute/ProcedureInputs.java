package dev.runbook.engine.execute;

import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.expr.Interpolator;
import dev.runbook.engine.expr.Rendered;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.validate.ParamValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inputs a {@code call} or a {@code foreach} item gives a procedure, bound before any of its
 * steps runs: every {@code with:} value rendered, none of them missing (a dry-run placeholder such
 * as {@code <params.X>} never becomes a value), and each checked against the input's type with the
 * same rules and messages as a parameter.
 *
 * @param values the inputs, by name
 * @param problem why the procedure cannot start, or null
 */
record ProcedureInputs(Map<String, Value> values, String problem) {

  static ProcedureInputs bind(Procedure procedure, Map<String, Template> with, Bindings bindings) {
    Map<String, Value> values = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ParamSpec input : procedure.inputs().values()) {
      Template given = with.get(input.name());
      Value value;
      if (given != null) {
        Rendered rendered = Interpolator.render(given, Interpolator.Mode.TEXT, bindings);
        if (!rendered.unresolved().isEmpty()) {
          missing.addAll(rendered.unresolved());
          continue;
        }
        value = new Value(rendered.text(), rendered.secret(), input.allowLeadingDash());
      } else if (input.defaultValue() != null) {
        value = new Value(input.defaultValue(), input.secret(), input.allowLeadingDash());
      } else {
        if (input.required()) {
          problems.add("procedure '" + procedure.name() + "' needs input " + input.name());
        }
        continue;
      }
      if (input.type() != ParamType.TARGET) {
        Optional<String> problem = ParamValues.problem(input, value.text());
        if (problem.isPresent()) {
          String shown = value.secret() ? "the value" : "'" + value.text() + "'";
          problems.add(
              "input "
                  + input.name()
                  + " ("
                  + input.type().label()
                  + ") of procedure '"
                  + procedure.name()
                  + "': "
                  + shown
                  + " "
                  + problem.get());
          continue;
        }
      }
      values.put(input.name(), value);
    }
    if (!missing.isEmpty()) {
      return new ProcedureInputs(
          values, "no value for " + String.join(", ", missing) + hint(missing));
    }
    return new ProcedureInputs(values, problems.isEmpty() ? null : String.join("; ", problems));
  }

  /** How to give a missing parameter, when one is missing. */
  static String hint(List<String> missing) {
    return missing.stream().anyMatch(m -> m.startsWith("params."))
        ? " (give it with -p NAME=VALUE)"
        : "";
  }
}
