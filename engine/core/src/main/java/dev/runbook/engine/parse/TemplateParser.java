package dev.runbook.engine.parse;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.SourceMap;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.model.Template.Literal;
import dev.runbook.engine.model.Template.Part;
import dev.runbook.engine.model.Template.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Splits a string into literal text and {@code ${...}} references.
 *
 * <p>A {@code ${...}} is a runbook reference when its content is a dotted path with a lowercase
 * root ({@code params.HostName}, {@code steps.read-cert.stdout}) or names a loop variable in
 * scope. Anything else ({@code ${BIGDATA_HOME}}, {@code ${HOME:-/root}}) is left for the shell,
 * so vendor commands can be copied as they are. {@code $${} writes a literal {@code ${}.
 */
public final class TemplateParser {

  private static final Pattern REFERENCE =
      Pattern.compile("[a-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_][A-Za-z0-9_.-]*)+");

  private TemplateParser() {}

  /**
   * Parses {@code text}; an unclosed {@code ${} is reported through {@code problems} and kept as
   * literal text.
   */
  public static Template parse(
      String text, Position position, Set<String> loopVariables, List<String> problems) {
    return split(
        text,
        SourceMap.at(position),
        loopVariables,
        (offset, message) -> problems.add("'${' at column offset " + offset + " " + message));
  }

  /**
   * Parses {@code text} read from the file at {@code source}; an unclosed {@code ${} is reported
   * at its own position and kept as literal text.
   */
  public static Template parse(
      String text,
      SourceMap source,
      Set<String> loopVariables,
      BiConsumer<Position, String> problems) {
    return split(
        text,
        source,
        loopVariables,
        (offset, message) -> problems.accept(source.positionOf(offset), "'${' " + message));
  }

  private interface OffsetProblems {
    void add(int offset, String message);
  }

  private static Template split(
      String text, SourceMap source, Set<String> loopVariables, OffsetProblems problems) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        literal.append("${");
        i += 3;
        continue;
      }
      if (!text.startsWith("${", i)) {
        literal.append(text.charAt(i++));
        continue;
      }
      int close = text.indexOf('}', i + 2);
      if (close < 0) {
        problems.add(i, "is never closed with '}'");
        literal.append(text, i, text.length());
        break;
      }
      String content = text.substring(i + 2, close).trim();
      if (REFERENCE.matcher(content).matches() || loopVariables.contains(content)) {
        if (literal.length() > 0) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(new Reference(Arrays.asList(splitPath(content)), i));
      } else {
        literal.append(text, i, close + 1);
      }
      i = close + 1;
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString()));
    }
    return new Template(text, parts, source.start(), source);
  }

  /**
   * Splits a dotted path; step ids hold no dots, so {@code steps.read-cert.stdout} is unambiguous.
   */
  static String[] splitPath(String content) {
    return content.split("\\.");
  }
}
