package dev.runbook.engine.expr;

import dev.runbook.api.Secret;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fills in a template's references with their values as they are, for text that no shell parses: a
 * question, a target's host, a procedure input, a lock key. Shell lines are rendered by {@link
 * ShellRender}, argv lines by {@link WordSplit}.
 */
public final class Interpolator {

  /** How values are inserted: only as text; kept so that call sites say what they render. */
  public enum Mode {
    TEXT
  }

  private Interpolator() {}

  public static Rendered render(Template template, Mode mode, ValueScope scope) {
    StringBuilder text = new StringBuilder();
    StringBuilder masked = new StringBuilder();
    boolean secret = false;
    List<String> unresolved = new ArrayList<>();
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.Literal literal) {
        text.append(literal.text());
        masked.append(literal.text());
        continue;
      }
      Template.Reference reference = (Template.Reference) part;
      Optional<Value> value = scope.lookup(reference.path());
      if (value.isEmpty()) {
        String placeholder = "<" + reference.dotted() + ">";
        unresolved.add(reference.dotted());
        text.append(placeholder);
        masked.append(placeholder);
        continue;
      }
      text.append(value.get().text());
      if (value.get().secret()) {
        secret = true;
        masked.append(Secret.MASK);
      } else {
        masked.append(value.get().text());
      }
    }
    return new Rendered(text.toString(), masked.toString(), secret, unresolved);
  }
}
