package dev.runbook.engine.expr;

import dev.runbook.api.Secret;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fills in a template's references. In {@link Mode#SHELL} every value is quoted for where it stands
 * (bare, inside double quotes, inside single quotes), so the shell reads it back literally and no
 * value can add a command; in {@link Mode#TEXT} values go in as they are.
 */
public final class Interpolator {

  /** How values are inserted. */
  public enum Mode {
    TEXT,
    SHELL
  }

  private Interpolator() {}

  public static Rendered render(Template template, Mode mode, ValueScope scope) {
    StringBuilder text = new StringBuilder();
    StringBuilder masked = new StringBuilder();
    boolean secret = false;
    List<String> unresolved = new ArrayList<>();
    ShellContext shell = new ShellContext();
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.Literal literal) {
        shell.read(literal.text());
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
      String inserted = mode == Mode.SHELL ? shell.quote(value.get().text()) : value.get().text();
      text.append(inserted);
      if (value.get().secret()) {
        secret = true;
        masked.append(Secret.MASK);
      } else {
        masked.append(inserted);
      }
    }
    return new Rendered(text.toString(), masked.toString(), secret, unresolved);
  }
}
