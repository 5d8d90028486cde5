package dev.runbook.engine.expr;

import dev.runbook.api.Secret;
import dev.runbook.api.ShellScript;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Renders a shell-line template into a {@link ShellScript}: the line as written, with each {@code
 * ${…}} replaced by a reference to an environment variable that holds the value. The reference is
 * written for where it stands ({@link ShellScan}): {@code "${RB_PARAM_Dir}"} in a plain word,
 * {@code ${RB_PARAM_Dir}} inside double quotes or a heredoc, the quotes closed around it inside
 * single quotes. So the shell that runs the line expands the value exactly once and never parses
 * it; and a line where a second program would parse it is refused.
 */
public final class ShellRender {

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

  private ShellRender() {}

  /**
   * The rendering of a template.
   *
   * @param script the line and its values; for references without a value (a dry-run), the variable
   *     holds the placeholder {@code <params.X>}
   * @param unresolved references that had no value
   * @param refused why a value may not be used where it stands (each names the reference); a real
   *     run fails the step before anything runs
   */
  public record Result(ShellScript script, List<String> unresolved, List<String> refused) {}

  /** A place in a template where no value may stand, and why. */
  public record Refusal(Template.Reference reference, String message) {}

  /** Why values may not stand where the template puts them; empty when the line is safe. */
  public static List<Refusal> refusals(Template template) {
    ShellScan.Result scan = scan(template);
    List<Refusal> refusals = new ArrayList<>();
    List<Template.Reference> refs = template.references();
    for (int i = 0; i < refs.size(); i++) {
      String refusal = scan.slots().get(i).refusal();
      if (refusal != null) {
        refusals.add(new Refusal(refs.get(i), "${" + refs.get(i).dotted() + "} " + refusal));
      }
    }
    return refusals;
  }

  public static Result render(Template template, ValueScope scope) {
    ShellScan.Result scan = scan(template);
    List<Template.Reference> refs = template.references();
    Map<String, String> names = new HashMap<>();
    Map<String, Object> environment = new LinkedHashMap<>();
    List<String> unresolved = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    String[] written = new String[refs.size()];
    for (int i = 0; i < refs.size(); i++) {
      Template.Reference ref = refs.get(i);
      ShellScan.Slot slot = scan.slots().get(i);
      String name = names.computeIfAbsent(ref.dotted(), d -> variableName(ref, names));
      written[i] = reference(name, slot);
      Optional<Value> value = scope.lookup(ref.path());
      if (value.isEmpty()) {
        unresolved.add(ref.dotted());
        environment.putIfAbsent(name, "<" + ref.dotted() + ">");
        continue;
      }
      String problem = problem(ref, slot, value.get());
      if (problem != null) {
        refused.add(problem);
      }
      environment.putIfAbsent(
          name, value.get().secret() ? new Secret(value.get().text()) : value.get().text());
    }
    String script = write(template, scan, written);
    return new Result(new ShellScript(script, environment), unresolved, refused);
  }

  /** Why this value may not stand in this slot, or null. */
  private static String problem(Template.Reference ref, ShellScan.Slot slot, Value value) {
    String shown = "${" + ref.dotted() + "}";
    if (slot.refusal() != null) {
      return shown + " " + slot.refusal();
    }
    if (value.text().indexOf('\0') >= 0) {
      return shown + " holds a NUL byte, which no command can receive";
    }
    if (slot.context() == ShellScan.Context.ARITH && !INTEGER.matcher(value.text()).matches()) {
      return shown + " is used in $((…)) arithmetic, so it must be a whole number";
    }
    if (slot.wordStart()
        && !slot.optionsEnded()
        && value.text().startsWith("-")
        && !value.mayStartWithDash()) {
      return shown
          + " begins a word, and its value starts with '-', so the command would read it as an"
          + " option; if that is meant, declare the parameter with allow_leading_dash: true, or"
          + " put -- before the operands";
    }
    return null;
  }

  private static String reference(String name, ShellScan.Slot slot) {
    return switch (slot.context()) {
      case WORD -> "\"${" + name + "}\"";
      case SINGLE -> "'\"${" + name + "}\"'";
      default -> "${" + name + "}";
    };
  }

  /** The line with references written in, and quoted heredocs holding values made expanding. */
  private static String write(Template template, ShellScan.Result scan, String[] written) {
    StringBuilder out = new StringBuilder();
    int position = 0;
    int ref = 0;
    List<ShellScan.Rewrite> rewrites = scan.rewrites();
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.Reference) {
        out.append(written[ref++]);
        position++;
        continue;
      }
      String text = ((Template.Literal) part).text();
      for (int i = 0; i < text.length(); i++, position++) {
        char c = text.charAt(i);
        ShellScan.Rewrite rewrite = rewriteAt(rewrites, position);
        if (rewrite == null) {
          out.append(c);
        } else if (position < rewrite.delimiterEnd()) {
          if (position == rewrite.delimiterStart()) {
            out.append(rewrite.delimiter());
          }
        } else {
          if (c == '\\' || c == '$' || c == '`') {
            out.append('\\');
          }
          out.append(c);
        }
      }
    }
    return out.toString();
  }

  private static ShellScan.Rewrite rewriteAt(List<ShellScan.Rewrite> rewrites, int position) {
    for (ShellScan.Rewrite rewrite : rewrites) {
      if ((position >= rewrite.delimiterStart() && position < rewrite.delimiterEnd())
          || (position >= rewrite.bodyStart() && position < rewrite.bodyEnd())) {
        return rewrite;
      }
    }
    return null;
  }

  private static String variableName(Template.Reference ref, Map<String, String> taken) {
    List<String> path = ref.path();
    String prefix =
        switch (path.get(0)) {
          case "params" -> "RB_PARAM_";
          case "inputs" -> "RB_INPUT_";
          case "steps" -> "RB_STEP_";
          case "captured" -> "RB_CAPTURED_";
          default -> "RB_VAR_";
        };
    List<String> rest =
        path.size() > 1 && !prefix.equals("RB_VAR_") ? path.subList(1, path.size()) : path;
    String base = prefix + String.join("_", rest).replaceAll("[^A-Za-z0-9_]", "_");
    String name = base;
    for (int n = 2; taken.containsValue(name); n++) {
      name = base + "_" + n;
    }
    return name;
  }

  /** Scanning is linear in the line's length: cheaper than keeping a cache of every line. */
  private static ShellScan.Result scan(Template template) {
    StringBuilder chars = new StringBuilder();
    List<Integer> refAt = new ArrayList<>();
    int ref = 0;
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.Literal literal) {
        chars.append(literal.text());
        literal.text().chars().forEach(c -> refAt.add(-1));
      } else {
        chars.append('\0');
        refAt.add(ref++);
      }
    }
    int[] at = refAt.stream().mapToInt(Integer::intValue).toArray();
    return ShellScan.scan(chars.toString().toCharArray(), at, ref);
  }
}
