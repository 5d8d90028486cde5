package dev.runbook.engine.graph;

import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step graph as Mermaid or Graphviz text: one node per step, one edge per branch, procedures as
 * subgraphs, calls as dashed edges into them.
 */
public final class GraphExport {

  /** A step or an end: its key (group and step id), label and shape (box, diamond, end). */
  public record Node(String key, String label, String shape) {}

  /** A branch from one node to another; dashed for a call into a procedure. */
  public record Edge(String from, String to, String label, boolean dashed) {}

  /**
   * The graph as data, for renderers of their own (the run report draws it as SVG).
   *
   * @param groups each group's nodes in document order: {@code main}, then each procedure
   * @param ends the outcomes that have an end node ({@link #endNodeKey})
   */
  public record Structure(Map<String, List<Node>> groups, List<Edge> edges, Set<String> ends) {}

  public static Structure structure(Runbook runbook) {
    GraphExport graph = new GraphExport(runbook);
    return new Structure(
        Collections.unmodifiableMap(graph.groups),
        List.copyOf(graph.edges),
        Collections.unmodifiableSet(graph.ends));
  }

  /** The key of step {@code stepId} of group {@code group} ({@code main} or a procedure). */
  public static String nodeKey(String group, String stepId) {
    return key(group, stepId);
  }

  /** The key of the end node of {@code outcome} ({@code resolved}, {@code return yes} …). */
  public static String endNodeKey(String outcome) {
    return "end__" + outcome.replace(' ', '_');
  }

  private final Map<String, List<Node>> groups = new LinkedHashMap<>();
  private final List<Edge> edges = new ArrayList<>();
  private final Set<String> ends = new LinkedHashSet<>();

  private GraphExport(Runbook runbook) {
    addList("main", runbook.steps(), false);
    // A used library's procedures are drawn as the runbook's own are (named library.procedure),
    // those it calls only.
    Map<String, Procedure> procedures = drawn(runbook);
    for (Procedure procedure : procedures.values()) {
      addList(procedure.name(), procedure.steps(), true);
    }
    for (Procedure procedure : procedures.values()) {
      for (Step step : runbook.steps()) {
        linkCall(step, "main", procedure, runbook);
      }
      for (Procedure caller : procedures.values()) {
        for (Step step : caller.steps()) {
          linkCall(step, caller.name(), procedure, runbook);
        }
      }
    }
  }

  /** The runbook's own procedures, and the library procedures that some drawn step calls. */
  private static Map<String, Procedure> drawn(Runbook runbook) {
    Map<String, Procedure> drawn = new LinkedHashMap<>(runbook.procedures());
    java.util.Deque<List<Step>> lists = new java.util.ArrayDeque<>();
    lists.add(runbook.steps());
    drawn.values().forEach(p -> lists.add(p.steps()));
    while (!lists.isEmpty()) {
      for (Step step : lists.poll()) {
        String callee = calleeOf(step);
        Procedure shared = callee == null ? null : runbook.shared().get(callee);
        if (shared != null && drawn.putIfAbsent(callee, shared) == null) {
          lists.add(shared.steps());
        }
      }
    }
    return drawn;
  }

  private static String calleeOf(Step step) {
    if (step.kind() instanceof StepKind.Call call) {
      return call.procedure();
    }
    return step.kind() instanceof StepKind.Foreach each ? each.procedure() : null;
  }

  public static String mermaid(Runbook runbook) {
    return new GraphExport(runbook).toMermaid(runbook);
  }

  public static String dot(Runbook runbook) {
    return new GraphExport(runbook).toDot(runbook);
  }

  private static String key(String group, String stepId) {
    return (group + "__" + stepId).replaceAll("[^A-Za-z0-9_]", "_");
  }

  private void addList(String group, List<Step> steps, boolean procedure) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String ref = step.ref() == null ? "" : "[" + step.ref() + "] ";
      String label = ref + step.id() + "\n" + kindText(step);
      String shape =
          step.branches() || step.cases() != null
              ? "diamond"
              : step.kind() instanceof StepKind.End ? "end" : "box";
      nodes.add(new Node(key(group, step.id()), label, shape));
      String from = key(group, step.id());
      addBranch(from, group, step.yes(), "yes");
      addBranch(from, group, step.no(), "no");
      if (step.cases() != null) {
        step.cases().byLabel().forEach((name, branch) -> addBranch(from, group, branch, name));
        addBranch(from, group, step.cases().otherwise(), "default");
      }
      addBranch(from, group, step.onFailure(), "on failure");
      if (step.next() != null) {
        addBranch(from, group, step.next(), "");
      } else if (step.fallsThrough()) {
        if (i + 1 < steps.size()) {
          edges.add(new Edge(from, key(group, steps.get(i + 1).id()), "", false));
        } else {
          edges.add(new Edge(from, endKey(procedure ? "return yes" : "resolved"), "", false));
        }
      }
      if (step.kind() instanceof StepKind.End end) {
        edges.add(new Edge(from, endKey(end.outcome().label()), "", false));
      } else if (step.kind() instanceof StepKind.Return ret) {
        edges.add(new Edge(from, endKey("return " + (ret.value() ? "yes" : "no")), "", false));
      }
    }
    groups.put(group, nodes);
  }

  private void addBranch(String from, String group, Branch branch, String label) {
    if (branch == null) {
      return;
    }
    if (branch instanceof Branch.GoTo goTo) {
      edges.add(new Edge(from, key(group, goTo.stepId()), label, false));
    } else if (branch instanceof Branch.EndRun end) {
      edges.add(new Edge(from, endKey(end.outcome().label()), label, false));
    } else {
      edges.add(
          new Edge(
              from,
              endKey("return " + (((Branch.Return) branch).value() ? "yes" : "no")),
              label,
              false));
    }
  }

  private String endKey(String outcome) {
    ends.add(outcome);
    return "end__" + outcome.replace(' ', '_');
  }

  private void linkCall(Step step, String group, Procedure procedure, Runbook runbook) {
    String callee = calleeOf(step);
    if (procedure.name().equals(callee) && !procedure.steps().isEmpty()) {
      edges.add(
          new Edge(
              key(group, step.id()),
              key(procedure.name(), procedure.steps().get(0).id()),
              "calls",
              true));
    }
  }

  private static String kindText(Step step) {
    StepKind kind = step.kind();
    if (kind instanceof StepKind.ActionCall a) {
      return a.action()
          + (a.condition() != null
              ? " · if " + a.condition()
              : a.isPoll() ? " · until " + a.until() : "");
    }
    if (kind instanceof StepKind.Decision d) {
      return "if " + d.condition();
    }
    if (kind instanceof StepKind.Switch w) {
      return "switch " + w.value();
    }
    if (kind instanceof StepKind.Ask && step.cases() != null) {
      return "question: " + String.join(" / ", step.cases().byLabel().keySet());
    }
    if (kind instanceof StepKind.Call c) {
      return "call " + c.procedure();
    }
    if (kind instanceof StepKind.Foreach f) {
      return "foreach → " + f.procedure();
    }
    return kind.label();
  }

  private String toMermaid(Runbook runbook) {
    StringBuilder out = new StringBuilder("flowchart TD\n");
    out.append("  %% ").append(runbook.id()).append(": ").append(runbook.title()).append('\n');
    for (Map.Entry<String, List<Node>> group : groups.entrySet()) {
      boolean sub = !group.getKey().equals("main");
      if (sub) {
        out.append("  subgraph ")
            .append(key("proc", group.getKey()))
            .append("[\"procedure ")
            .append(mermaidText(group.getKey()))
            .append("\"]\n");
      }
      for (Node node : group.getValue()) {
        String text = mermaidText(node.label());
        String shaped =
            switch (node.shape()) {
              case "diamond" -> "{\"" + text + "\"}";
              case "end" -> "([\"" + text + "\"])";
              default -> "[\"" + text + "\"]";
            };
        out.append(sub ? "    " : "  ").append(node.key()).append(shaped).append('\n');
      }
      if (sub) {
        out.append("  end\n");
      }
    }
    for (String end : ends) {
      out.append("  end__")
          .append(end.replace(' ', '_'))
          .append("((\"")
          .append(end)
          .append("\"))\n");
    }
    for (Edge edge : edges) {
      String arrow = edge.dashed() ? "-.->" : "-->";
      out.append("  ").append(edge.from()).append(' ').append(arrow);
      if (!edge.label().isEmpty()) {
        out.append("|").append(edge.label()).append("|");
      }
      out.append(' ').append(edge.to()).append('\n');
    }
    return out.toString();
  }

  private static String mermaidText(String text) {
    return text.replace("\"", "#quot;").replace("\n", "<br/>");
  }

  private String toDot(Runbook runbook) {
    StringBuilder out = new StringBuilder("digraph \"" + dotText(runbook.id()) + "\" {\n");
    out.append("  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
    out.append("  label=\"").append(dotText(runbook.id() + ": " + runbook.title())).append("\";\n");
    for (Map.Entry<String, List<Node>> group : groups.entrySet()) {
      boolean sub = !group.getKey().equals("main");
      String indent = sub ? "    " : "  ";
      if (sub) {
        out.append("  subgraph \"cluster_")
            .append(dotText(group.getKey()))
            .append("\" {\n")
            .append("    label=\"procedure ")
            .append(dotText(group.getKey()))
            .append("\";\n");
      }
      for (Node node : group.getValue()) {
        String shape =
            switch (node.shape()) {
              case "diamond" -> "diamond";
              case "end" -> "oval";
              default -> "box";
            };
        out.append(indent)
            .append(node.key())
            .append(" [shape=")
            .append(shape)
            .append(", label=\"")
            .append(dotText(node.label()))
            .append("\"];\n");
      }
      if (sub) {
        out.append("  }\n");
      }
    }
    for (String end : ends) {
      out.append("  end__")
          .append(end.replace(' ', '_'))
          .append(" [shape=doublecircle, label=\"")
          .append(dotText(end))
          .append("\"];\n");
    }
    for (Edge edge : edges) {
      out.append("  ").append(edge.from()).append(" -> ").append(edge.to());
      List<String> attrs = new ArrayList<>();
      if (!edge.label().isEmpty()) {
        attrs.add("label=\"" + dotText(edge.label()) + "\"");
      }
      if (edge.dashed()) {
        attrs.add("style=dashed");
      }
      if (!attrs.isEmpty()) {
        out.append(" [").append(String.join(", ", attrs)).append(']');
      }
      out.append(";\n");
    }
    return out.append("}\n").toString();
  }

  private static String dotText(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
