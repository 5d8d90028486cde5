package dev.runbook.engine.parse;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Turns snakeyaml-engine's syntax errors into plain words, at the place a person would look: an
 * unclosed quote is reported where it opens, not at the end of the file.
 */
final class YamlSyntax {

  private static final Pattern BLOCK_END =
      Pattern.compile("expected <block end>, but found '(.*)'");
  private static final Pattern NO_TOKEN =
      Pattern.compile("found character '(.+)' that cannot start any token.*");
  private static final Pattern ESCAPE =
      Pattern.compile("found unknown escape character (.)\\(\\d+\\)");
  private static final Pattern FLOW_END = Pattern.compile("expected ',' or '([\\]}])', but got .*");
  private static final Pattern ALIAS = Pattern.compile("found undefined alias (.*)");

  private YamlSyntax() {}

  static Problem describe(MarkedYamlEngineException e, String file, String text) {
    Position at = e.getProblemMark().map(m -> position(file, m)).orElse(Position.start(file));
    String problem = e.getProblem() == null ? "not valid YAML" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext();
    Optional<Mark> contextMark = e.getContextMark();
    if (context.startsWith("while scanning a quoted scalar")
        && problem.contains("end of stream")
        && contextMark.isPresent()) {
      Mark open = contextMark.get();
      return new Problem(
          position(file, open),
          "YAML syntax: unclosed quoted string: no closing '"
              + quoteAt(text, open)
              + "' before the end of the file");
    }
    return new Problem(at, "YAML syntax: " + plain(problem, context));
  }

  private static String plain(String problem, String context) {
    Matcher m = BLOCK_END.matcher(problem);
    if (m.matches()) {
      return switch (m.group(1)) {
        case "-" ->
            "a list item ('- ') where the lines above are 'key: value'; check the indentation";
        case "?" ->
            "a 'key: value' line where the lines above are list items; check the indentation";
        default -> "bad indentation: this line does not line up with the lines above it";
      };
    }
    if (problem.startsWith("mapping values are not allowed here")) {
      return "':' is not allowed here; quote a value that holds ': ', or check the indentation";
    }
    if ((m = NO_TOKEN.matcher(problem)).matches()) {
      return "a value cannot start with '" + m.group(1) + "'; quote it";
    }
    if ((m = ESCAPE.matcher(problem)).matches()) {
      return "unknown escape '\\"
          + m.group(1)
          + "' in a double-quoted string; write '\\\\' for a backslash, or use single quotes";
    }
    if ((m = FLOW_END.matcher(problem)).matches()) {
      String close = m.group(1);
      return "expected ',' or '"
          + close
          + "': a '"
          + (close.equals("]") ? "[" : "{")
          + "' is not closed";
    }
    if ((m = ALIAS.matcher(problem)).matches()) {
      return "unknown alias '*" + m.group(1) + "'";
    }
    if (problem.startsWith("but found another document")) {
      return "a runbook file holds one YAML document; remove the second '---'";
    }
    return context.isEmpty() ? problem : problem + " (" + context + ")";
  }

  private static Position position(String file, Mark mark) {
    return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static String quoteAt(String text, Mark mark) {
    String[] lines = text.split("\r\n|\r|\n", -1);
    if (mark.getLine() < lines.length) {
      String line = lines[mark.getLine()];
      int column = mark.getColumn();
      if (column < line.codePointCount(0, line.length())) {
        int c = line.codePointAt(line.offsetByCodePoints(0, column));
        if (c == '\'' || c == '"') {
          return Character.toString(c);
        }
      }
    }
    return "\"";
  }
}
