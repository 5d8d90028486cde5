package dev.runbook.engine.expr;

import dev.cel.common.CelIssue;
import dev.runbook.engine.model.Condition;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.parse.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CEL's issues in the words of the runbook format, each at the place in the file it is about. CEL's
 * parser speaks ANTLR ("mismatched input '&lt;EOF&gt;' expecting {…}") and its checker speaks of
 * containers and overloads; a person at 3 a.m. needs "unexpected end of condition".
 */
final class CelMessages {

  private static final Pattern PARAM_REF = Pattern.compile("\\bparams\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern CAPTURED_REF =
      Pattern.compile("\\bcaptured\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern NOT_BOOL = Pattern.compile("expected type 'bool' but found '(.+)'");
  private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']+)'.*");
  private static final Pattern OVERLOAD =
      Pattern.compile("found no matching overload for '([^']+)' applied to '(.*?)'(?: \\(.*)?");
  private static final Pattern RECEIVER = Pattern.compile("(\\w+)\\.(\\(.*\\))");

  /** CEL's standard and string-extension functions, for "did you mean". */
  private static final List<String> FUNCTIONS =
      List.of(
          ("size int uint double string bool bytes dyn type has matches contains startsWith"
                  + " endsWith exists all exists_one map filter lowerAscii upperAscii trim split"
                  + " replace indexOf lastIndexOf substring join charAt timestamp duration")
              .split(" "));

  private static final Pattern UNEXPECTED =
      Pattern.compile("(?:extraneous|mismatched) input '(.*)' expecting .*");
  private static final Pattern MISSING = Pattern.compile("missing '(.*)' at '(.*)'");
  private static final Pattern TOKEN = Pattern.compile("token recognition error at: '(.*)'");
  private static final String CONTAINER = " (in container '')";
  private static final String EOF = "<EOF>";

  private CelMessages() {}

  /** The first syntax error only: ANTLR's recovery adds guesses after it. */
  static Problem syntax(Condition condition, CelIssue issue, String subject) {
    return new Problem(
        at(condition, issue), subject + ": syntax error: " + plainSyntax(issue.getMessage()));
  }

  static List<Problem> check(
      Condition condition, ExpressionScope scope, List<CelIssue> issues, String subject) {
    Set<Problem> problems = new LinkedHashSet<>();
    for (CelIssue issue : issues) {
      String message = issue.getMessage();
      int offset = offset(condition.expression(), issue);
      Problem problem = notBool(condition, message, subject);
      if (problem == null) {
        problem = unknownParam(condition, scope, message, offset, subject);
      }
      if (problem == null) {
        problem = unknownCaptured(condition, scope, message, subject);
      }
      if (problem == null) {
        problem = unknownFunction(condition, message, subject);
      }
      if (problem == null) {
        problem =
            new Problem(condition.positionOf(offset), subject + ": " + plainCheck(message, scope));
      }
      problems.add(problem);
    }
    return new ArrayList<>(problems);
  }

  /** At the start: it is the whole condition that has the wrong type. */
  private static Problem notBool(Condition condition, String message, String subject) {
    Matcher m = NOT_BOOL.matcher(message);
    return m.matches()
        ? new Problem(
            condition.positionOf(0),
            subject + ": the condition must be a bool, but it is " + describe(m.group(1)))
        : null;
  }

  /** CEL says "undeclared reference to 'params'"; name the parameter, and the closest one. */
  private static Problem unknownParam(
      Condition condition, ExpressionScope scope, String message, int offset, String subject) {
    if (!UNDECLARED.matcher(message).matches()
        || !(message.contains("'params'") || message.contains("'given'"))) {
      return null;
    }
    int at = unknownParam(condition.expression(), scope, offset);
    Matcher m = PARAM_REF.matcher(condition.expression());
    if (at < 0 || !m.find(at)) {
      return null;
    }
    String name = m.group(1);
    return new Problem(
        condition.positionOf(at),
        subject
            + ": unknown parameter '"
            + name
            + "'"
            + Suggestions.hint(name, scope.params().keySet()));
  }

  /** CEL says "undeclared reference to 'captured'"; name the value no step captures. */
  private static Problem unknownCaptured(
      Condition condition, ExpressionScope scope, String message, String subject) {
    if (!UNDECLARED.matcher(message).matches() || !message.contains("'captured'")) {
      return null;
    }
    Matcher m = CAPTURED_REF.matcher(condition.expression());
    while (m.find()) {
      String name = m.group(1);
      if (!scope.captured().containsKey(name)) {
        return new Problem(
            condition.positionOf(m.start()),
            subject
                + ": no step captures '"
                + name
                + "'"
                + Suggestions.hint(name, scope.captured().keySet()));
      }
    }
    return null;
  }

  /** An undeclared name written as a call, such as {@code sise(x)}. */
  private static Problem unknownFunction(Condition condition, String message, String subject) {
    Matcher m = UNDECLARED.matcher(message);
    if (!m.matches()) {
      return null;
    }
    String name = m.group(1);
    Matcher call =
        Pattern.compile("\\b" + Pattern.quote(name) + "\\s*\\(").matcher(condition.expression());
    if (!call.find()) {
      return null;
    }
    return new Problem(
        condition.positionOf(call.start()),
        subject + ": unknown function '" + name + "'" + Suggestions.hint(name, FUNCTIONS));
  }

  /** Where the undeclared {@code params.X} CEL points at starts, or the first one; -1 if none. */
  private static int unknownParam(String expression, ExpressionScope scope, int offset) {
    Matcher m = PARAM_REF.matcher(expression);
    int first = -1;
    while (m.find()) {
      if (!scope.params().containsKey(m.group(1))) {
        if (m.start() == offset) {
          return offset;
        }
        first = first < 0 ? m.start() : first;
      }
    }
    return first;
  }

  private static String plainCheck(String message, ExpressionScope scope) {
    Matcher m = UNDECLARED.matcher(message);
    if (m.matches()) {
      return unknownName(m.group(1), scope);
    }
    m = OVERLOAD.matcher(message);
    if (m.matches()) {
      Matcher receiver = RECEIVER.matcher(m.group(2));
      return receiver.matches()
          ? "'"
              + m.group(1)
              + "' on "
              + describe(receiver.group(1))
              + " does not take "
              + receiver.group(2)
          : "'" + operator(m.group(1)) + "' does not apply to " + m.group(2);
    }
    return message.replace(CONTAINER, "");
  }

  private static String unknownName(String name, ExpressionScope scope) {
    if (name.equals("result") && !scope.hasResult()) {
      return "'result' exists only in the 'if' or 'until' of an action step";
    }
    if (name.equals("inputs") && !scope.inProcedure()) {
      return "'inputs' exists only inside a procedure";
    }
    Set<String> known = new LinkedHashSet<>(List.of("params", "steps"));
    if (scope.hasResult()) {
      known.add("result");
    }
    if (scope.inProcedure()) {
      known.add("inputs");
    }
    if (!scope.captured().isEmpty()) {
      known.add("captured");
    }
    return "unknown name '"
        + name
        + "'"
        + Suggestions.hint(name, known)
        + "; known names: "
        + String.join(", ", known);
  }

  private static String plainSyntax(String message) {
    Matcher m = MISSING.matcher(message);
    if (m.matches()) {
      return m.group(2).equals(EOF)
          ? "missing '" + m.group(1) + "' at the end of the condition"
          : "missing '" + m.group(1) + "' before '" + m.group(2) + "'";
    }
    m = UNEXPECTED.matcher(message);
    if (m.matches()) {
      return m.group(1).equals(EOF)
          ? "unexpected end of condition"
          : "unexpected '" + m.group(1) + "'";
    }
    m = TOKEN.matcher(message);
    if (m.matches()) {
      String text = m.group(1).strip();
      if (text.startsWith("'") || text.startsWith("\"")) {
        String quote = text.startsWith("'") ? "\"'\"" : "'\"'";
        return "unclosed string: no closing " + quote + " before the end of the condition";
      }
      return "unexpected '" + text + "'" + (text.equals("=") ? " (did you mean '=='?)" : "");
    }
    return message.replace(CONTAINER, "");
  }

  /** {@code _==_} → {@code ==}, {@code !_} → {@code !}; function names stay as they are. */
  private static String operator(String overload) {
    return switch (overload) {
      case "_[_]" -> "[]";
      case "_?_:_" -> "?:";
      default -> overload.replaceAll("^_|_$", "");
    };
  }

  /** "an int", "a string", "a list": CEL's type names with an article. */
  static String describe(String celType) {
    String base = celType.replaceAll("\\(.*", "");
    return switch (base) {
      case "int" -> "an int";
      case "null", "null_type" -> "null";
      case "dyn" -> "a value";
      default -> "a " + base;
    };
  }

  /** CEL gives a 1-based line and a 0-based column within the expression. */
  private static int offset(String expression, CelIssue issue) {
    int line = issue.getSourceLocation().getLine();
    int column = Math.max(0, issue.getSourceLocation().getColumn());
    int offset = 0;
    for (int i = 1; i < line; i++) {
      int newline = expression.indexOf('\n', offset);
      if (newline < 0) {
        break;
      }
      offset = newline + 1;
    }
    return Math.min(offset + column, expression.length());
  }

  private static Position at(Condition condition, CelIssue issue) {
    return condition.positionOf(offset(condition.expression(), issue));
  }
}
