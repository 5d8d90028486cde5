package dev.runbook.engine.parse;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.SourceMap;
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
  private ScalarPositions scalars;

  ParseContext(String file) {
    this.file = file;
    this.scalars = new ScalarPositions(file, "");
  }

  /** The file's text, once decoded: positions inside multi-line values are found in it. */
  void text(String text) {
    this.scalars = new ScalarPositions(file, text);
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

  /** Where each character of a scalar's value is, also inside block scalars. */
  SourceMap sourceMap(ScalarNode node) {
    return scalars.of(node, contentPosition(node));
  }

  Template template(ScalarNode node, Set<String> loopVariables) {
    SourceMap source = sourceMap(node);
    return TemplateParser.parse(node.getValue(), source, loopVariables, this::problem);
  }
}
