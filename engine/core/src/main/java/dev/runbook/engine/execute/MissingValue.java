package dev.runbook.engine.execute;

import dev.runbook.engine.expr.Interpolator;
import dev.runbook.engine.expr.Rendered;
import dev.runbook.engine.expr.ValueScope;
import dev.runbook.engine.model.Template;
import java.util.List;

/**
 * A template of a real run refers to a value that is not there: a parameter not given, a step that
 * did not run. The step fails before anything runs; a dry-run's {@code <params.X>} placeholder is
 * never used as a value.
 */
final class MissingValue extends Exception {
  private static final long serialVersionUID = 1L;

  MissingValue(List<String> missing) {
    super("no value for " + String.join(", ", missing) + ProcedureInputs.hint(missing));
  }

  /** The template with its values filled in, or this exception naming every missing one. */
  static Rendered render(Template template, ValueScope scope) throws MissingValue {
    Rendered rendered = Interpolator.render(template, Interpolator.Mode.TEXT, scope);
    if (!rendered.unresolved().isEmpty()) {
      throw new MissingValue(rendered.unresolved());
    }
    return rendered;
  }
}
