package dev.runbook.engine.parse;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** The file being parsed and the problems found so far. */
final class ParseContext {

  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  ParseContext(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  List<Problem> problems() {
    return problems;
  }

  void problem(Position position, String message) {
    problems.add(new Problem(position, message));
  }

  void problem(Node node, String message) {
    problem(position(node), message);
  }

  Position position(Node node) {
    return node.getStartMark().map(this::position).orElse(Position.start(file));
  }

  Position position(Mark mark) {
    return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  /** Where a scalar's text begins: one column after an opening quote. */
  Position contentPosition(ScalarNode node) {
    Position start = position(node);
    ScalarStyle style = node.getScalarStyle();
    boolean quoted = style == ScalarStyle.SINGLE_QUOTED || style == ScalarStyle.DOUBLE_QUOTED;
    return quoted ? start.shifted(1) : start;
  }

  Template template(ScalarNode node, Set<String> loopVariables) {
    List<String> messages = new ArrayList<>();
    Position position = contentPosition(node);
    Template template = TemplateParser.parse(node.getValue(), position, loopVariables, messages);
    messages.forEach(m -> problem(position, m));
    return template;
  }
}
