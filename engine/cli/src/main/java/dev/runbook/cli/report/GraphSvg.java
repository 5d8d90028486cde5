package dev.runbook.cli.report;

import dev.runbook.engine.graph.GraphExport;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The step graph as inline SVG, laid out here with no tool and no network: one column per group
 * (the main steps, then each procedure), steps in document order, the next step straight below,
 * jumps as curves beside the column (forward on the right, back on the left), calls across columns.
 * The path the run took is drawn bold and its steps filled; a failed step is red.
 */
final class GraphSvg {

  private static final int NODE_W = 240;
  private static final int NODE_H = 46;
  private static final int ROW = NODE_H + 30;
  private static final int COLUMN = NODE_W + 170;
  private static final int TOP = 48;
  private static final int LEFT = 60;

  private record Place(int column, int row, GraphExport.Node node) {}

  private GraphSvg() {}

  /**
   * The SVG of {@code runbook}'s graph with the run's path, or of the run's path alone when the
   * runbook is not at hand (its file changed or is gone).
   */
  static String render(Runbook runbook, RunRecord record) {
    GraphExport.Structure graph =
        runbook == null ? pathOnly(record) : GraphExport.structure(runbook);
    Map<String, String> callees = runbook == null ? Map.of() : callees(runbook);
    Set<String> visited = new HashSet<>();
    Set<String> failed = new HashSet<>();
    Set<String> taken = new HashSet<>();
    Set<String> waiting = new HashSet<>();
    trace(record, runbook == null, callees, visited, failed, taken, waiting);

    Map<String, Place> places = new LinkedHashMap<>();
    int column = 0;
    int maxRows = 0;
    List<String> titles = new ArrayList<>();
    Map<String, String> groupOfNode = new HashMap<>();
    graph.groups().forEach((g, nodes) -> nodes.forEach(n -> groupOfNode.put(n.key(), g)));
    for (Map.Entry<String, List<GraphExport.Node>> group : graph.groups().entrySet()) {
      int row = 0;
      for (GraphExport.Node node : group.getValue()) {
        places.put(node.key(), new Place(column, row++, node));
      }
      // A run's ends go under the main steps; a procedure's returns under the procedure that
      // returns them (the first one, when several do), so their edges stay short.
      for (String end : graph.ends()) {
        String key = GraphExport.endNodeKey(end);
        String home = end.startsWith("return") ? firstSourceGroup(graph, key, groupOfNode) : "main";
        if (group.getKey().equals(home) && !places.containsKey(key)) {
          places.put(key, new Place(column, row++, new GraphExport.Node(key, end, "end")));
        }
      }
      titles.add(group.getKey().equals("main") ? "steps" : "procedure " + group.getKey());
      maxRows = Math.max(maxRows, row);
      column++;
    }
    int width = LEFT + column * COLUMN;
    int height = TOP + maxRows * ROW + 20;
    StringBuilder svg = new StringBuilder(16_384);
    svg.append("<svg class=\"graph\" role=\"img\"")
        .append(" aria-label=\"step graph with the path this run took\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\">\n")
        .append(
            "<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\""
                + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\""
                + " fill=\"#9aa0a6\"/></marker><marker id=\"t\" viewBox=\"0 0 10 10\" refX=\"9\""
                + " refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\">"
                + "<path d=\"M0,0L10,5L0,10z\" fill=\"#1a56db\"/></marker></defs>\n");
    for (int c = 0; c < titles.size(); c++) {
      svg.append("<text class=\"g-title\" x=\"")
          .append(LEFT + c * COLUMN)
          .append("\" y=\"24\">")
          .append(Html.escape(titles.get(c)))
          .append("</text>\n");
    }
    List<GraphExport.Edge> edges = mergeParallel(graph.edges());
    // The path on top: drawn last.
    edges.sort((a, b) -> Boolean.compare(isTaken(a, taken), isTaken(b, taken)));
    int lane = 0;
    for (GraphExport.Edge edge : edges) {
      Place from = places.get(edge.from());
      Place to = places.get(edge.to());
      if (from != null && to != null) {
        edge(svg, edge, from, to, isTaken(edge, taken), lane++);
      }
    }
    for (Place place : places.values()) {
      String key = place.node().key();
      node(svg, place, visited.contains(key), failed.contains(key), waiting.contains(key));
    }
    return svg.append("</svg>\n").toString();
  }

  /** Edges with the same ends drawn once, their labels joined ("yes, no"). */
  private static List<GraphExport.Edge> mergeParallel(List<GraphExport.Edge> edges) {
    Map<String, GraphExport.Edge> merged = new LinkedHashMap<>();
    for (GraphExport.Edge edge : edges) {
      String ends = edge.from() + "\u0000" + edge.to();
      GraphExport.Edge before = merged.get(ends);
      if (before == null) {
        merged.put(ends, edge);
      } else if (!edge.label().isEmpty() && !before.label().contains(edge.label())) {
        String label =
            before.label().isEmpty() ? edge.label() : before.label() + ", " + edge.label();
        merged.put(ends, new GraphExport.Edge(before.from(), before.to(), label, before.dashed()));
      }
    }
    return new ArrayList<>(merged.values());
  }

  private static String firstSourceGroup(
      GraphExport.Structure graph, String endKey, Map<String, String> groupOfNode) {
    for (GraphExport.Edge edge : graph.edges()) {
      if (edge.to().equals(endKey) && groupOfNode.containsKey(edge.from())) {
        return groupOfNode.get(edge.from());
      }
    }
    return "main";
  }

  private static boolean isTaken(GraphExport.Edge edge, Set<String> taken) {
    return taken.contains(edge.from() + "\u0000" + edge.to());
  }

  /** Which procedure each calling step calls: "group\0stepId" → procedure. */
  private static Map<String, String> callees(Runbook runbook) {
    Map<String, String> callees = new HashMap<>();
    addCallees(callees, "main", runbook.steps());
    for (Procedure procedure : runbook.procedures().values()) {
      addCallees(callees, procedure.name(), procedure.steps());
    }
    return callees;
  }

  private static void addCallees(Map<String, String> callees, String group, List<Step> steps) {
    for (Step step : steps) {
      if (step.kind() instanceof StepKind.Call call) {
        callees.put(group + "\u0000" + step.id(), call.procedure());
      } else if (step.kind() instanceof StepKind.Foreach each && each.procedure() != null) {
        callees.put(group + "\u0000" + step.id(), each.procedure());
      }
    }
  }

  /** The nodes the run visited and the edges it went along, from each step's path. */
  private static void trace(
      RunRecord record,
      boolean pathOnly,
      Map<String, String> callees,
      Set<String> visited,
      Set<String> failed,
      Set<String> taken,
      Set<String> waiting) {
    Map<String, String> lastInParent = new HashMap<>();
    Map<String, String> keyOfPath = new HashMap<>();
    String lastMain = null;
    for (RunRecord.StepEntry step : record.steps()) {
      String key;
      String parent;
      if (pathOnly) {
        key = "p_" + Integer.toHexString(stripVisits(step.path).hashCode());
        parent = "";
      } else {
        String[] segments = step.path.split("/");
        String group = "main";
        for (int i = 0; i < segments.length - 1; i++) {
          String callee = callees.get(group + "\u0000" + idOf(segments[i]));
          group = callee == null ? group : callee;
        }
        key = GraphExport.nodeKey(group, idOf(segments[segments.length - 1]));
        int slash = step.path.lastIndexOf('/');
        parent = slash < 0 ? "" : step.path.substring(0, slash);
      }
      visited.add(key);
      if (step.finished != null && step.finished.failed()) {
        failed.add(key);
      }
      if (RunRecord.WAITING.equals(record.stateOf(step))) {
        waiting.add(key);
      }
      keyOfPath.put(step.path, key);
      String before = lastInParent.put(parent, key);
      if (before != null && !before.equals(key)) {
        taken.add(before + "\u0000" + key);
      } else if (before == null && keyOfPath.containsKey(parent)) {
        taken.add(keyOfPath.get(parent) + "\u0000" + key); // the call into the procedure
      }
      if (parent.isEmpty()) {
        lastMain = key;
      }
    }
    // A procedure's last step returned the call's value: that return is on the path too.
    for (RunRecord.StepEntry step : record.steps()) {
      String last = lastInParent.get(step.path);
      if (last != null && step.finished != null && step.finished.value() != null) {
        String end = GraphExport.endNodeKey("return " + (step.finished.value() ? "yes" : "no"));
        visited.add(end);
        taken.add(last + "\u0000" + end);
      }
    }
    if (record.finish != null && lastMain != null) {
      String end = GraphExport.endNodeKey(record.finish.outcome().label());
      visited.add(end);
      taken.add(lastMain + "\u0000" + end);
      if (record.finish.outcome() == Outcome.FAILED) {
        failed.add(end);
      }
    }
  }

  /** The graph of the run's own path, for when its runbook is not at hand. */
  private static GraphExport.Structure pathOnly(RunRecord record) {
    List<GraphExport.Node> nodes = new ArrayList<>();
    List<GraphExport.Edge> edges = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String previous = null;
    for (RunRecord.StepEntry step : record.steps()) {
      String path = stripVisits(step.path);
      String key = "p_" + Integer.toHexString(path.hashCode());
      if (seen.add(key)) {
        String ref =
            step.started == null || step.started.ref() == null
                ? ""
                : "[" + step.started.ref() + "] ";
        String kind = step.started == null ? "" : step.started.kind();
        nodes.add(new GraphExport.Node(key, ref + path + "\n" + kind, "box"));
      }
      if (previous != null && !previous.equals(key)) {
        edges.add(new GraphExport.Edge(previous, key, "", false));
      }
      previous = key;
    }
    Set<String> ends = new LinkedHashSet<>();
    if (record.finish != null) {
      ends.add(record.finish.outcome().label());
    }
    return new GraphExport.Structure(Map.of("main", nodes), edges, ends);
  }

  private static String stripVisits(String path) {
    return path.replaceAll("@\\d+", "");
  }

  private static String idOf(String segment) {
    int at = segment.indexOf('@');
    return at < 0 ? segment : segment.substring(0, at);
  }

  private static void edge(
      StringBuilder svg, GraphExport.Edge edge, Place from, Place to, boolean taken, int lane) {
    int fx = LEFT + from.column() * COLUMN;
    int tx = LEFT + to.column() * COLUMN;
    int fy = TOP + from.row() * ROW;
    int ty = TOP + to.row() * ROW;
    String d;
    double lx;
    double ly;
    if (from.column() == to.column() && to.row() == from.row() + 1) {
      d = "M" + (fx + NODE_W / 2) + "," + (fy + NODE_H) + "L" + (tx + NODE_W / 2) + "," + ty;
      lx = fx + NODE_W / 2 + 6;
      ly = fy + NODE_H + 18;
    } else if (from.column() == to.column()) {
      boolean forward = to.row() > from.row();
      int span = Math.abs(to.row() - from.row());
      int bend = 26 + 14 * Math.min(span, 6) + 4 * (lane % 4);
      int x = forward ? fx + NODE_W : fx;
      int out = forward ? x + bend : x - bend;
      int y1 = fy + NODE_H / 2 + (forward ? 6 : -6);
      int y2 = ty + NODE_H / 2 + (forward ? -6 : 6);
      d = "M" + x + "," + y1 + "C" + out + "," + y1 + " " + out + "," + y2 + " " + x + "," + y2;
      lx = forward ? x + bend * 0.75 + 2 : x - bend * 0.75 - 2;
      ly = (y1 + y2) / 2.0;
    } else {
      boolean right = to.column() > from.column();
      int x1 = right ? fx + NODE_W : fx;
      int x2 = right ? tx : tx + NODE_W;
      int y1 = fy + NODE_H / 2;
      int y2 = ty + NODE_H / 2;
      int mid = (x1 + x2) / 2;
      d = "M" + x1 + "," + y1 + "C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2;
      lx = mid;
      ly = (y1 + y2) / 2.0 - 4;
    }
    svg.append("<path class=\"e")
        .append(taken ? " taken" : "")
        .append(edge.dashed() ? " call" : "")
        .append("\" d=\"")
        .append(d)
        .append("\" marker-end=\"url(#")
        .append(taken ? 't' : 'a')
        .append(")\"/>\n");
    if (!edge.label().isEmpty()) {
      svg.append("<text class=\"el")
          .append(taken ? " taken" : "")
          .append("\" x=\"")
          .append(String.format(Locale.ROOT, "%.0f", lx))
          .append("\" y=\"")
          .append(String.format(Locale.ROOT, "%.0f", ly))
          .append("\" text-anchor=\"")
          .append(lx < fx ? "end" : "start")
          .append("\">")
          .append(Html.escape(edge.label()))
          .append("</text>\n");
    }
  }

  private static void node(
      StringBuilder svg, Place place, boolean visited, boolean failed, boolean waiting) {
    int x = LEFT + place.column() * COLUMN;
    int y = TOP + place.row() * ROW;
    GraphExport.Node node = place.node();
    String cls =
        "n" + (visited ? " visited" : "") + (failed ? " failed" : "") + (waiting ? " waiting" : "");
    svg.append("<g class=\"")
        .append(cls)
        .append("\"><title>")
        .append(Html.escape(node.label().replace('\n', ' ')))
        .append("</title>");
    switch (node.shape()) {
      case "diamond" ->
          svg.append("<polygon points=\"")
              .append(x + 12)
              .append(',')
              .append(y)
              .append(' ')
              .append(x + NODE_W - 12)
              .append(',')
              .append(y)
              .append(' ')
              .append(x + NODE_W)
              .append(',')
              .append(y + NODE_H / 2)
              .append(' ')
              .append(x + NODE_W - 12)
              .append(',')
              .append(y + NODE_H)
              .append(' ')
              .append(x + 12)
              .append(',')
              .append(y + NODE_H)
              .append(' ')
              .append(x)
              .append(',')
              .append(y + NODE_H / 2)
              .append("\"/>");
      case "end" ->
          svg.append("<rect x=\"")
              .append(x + 40)
              .append("\" y=\"")
              .append(y)
              .append("\" width=\"")
              .append(NODE_W - 80)
              .append("\" height=\"")
              .append(NODE_H)
              .append("\" rx=\"23\"/>");
      default ->
          svg.append("<rect x=\"")
              .append(x)
              .append("\" y=\"")
              .append(y)
              .append("\" width=\"")
              .append(NODE_W)
              .append("\" height=\"")
              .append(NODE_H)
              .append("\" rx=\"6\"/>");
    }
    String[] label = node.label().split("\n", 2);
    if (node.key().startsWith("end__")) {
      text(svg, x + NODE_W / 2, y + NODE_H / 2 + 5, "end: " + label[0], "nl b", 20);
    } else {
      text(svg, x + NODE_W / 2, y + 19, label[0], "nl b", node.shape().equals("diamond") ? 27 : 30);
      if (label.length > 1) {
        text(
            svg,
            x + NODE_W / 2,
            y + 36,
            label[1],
            "nl k",
            node.shape().equals("diamond") ? 28 : 32);
      }
    }
    svg.append("</g>\n");
  }

  private static void text(StringBuilder svg, int x, int y, String text, String cls, int max) {
    String shown = text.length() > max ? text.substring(0, max - 1) + "…" : text;
    svg.append("<text class=\"")
        .append(cls)
        .append("\" x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y)
        .append("\" text-anchor=\"middle\">")
        .append(Html.escape(shown))
        .append("</text>");
  }
}
