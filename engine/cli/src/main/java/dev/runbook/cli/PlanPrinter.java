package dev.runbook.cli;

import dev.runbook.engine.Plan;
import dev.runbook.engine.PlannedStep;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints a {@link Plan} for a person at a terminal: one block per step, branches under it. */
final class PlanPrinter {

  private final PrintWriter out;

  PlanPrinter(PrintWriter out) {
    this.out = new SafeLines(out);
  }

  void print(Plan plan) {
    out.println("DRY RUN  " + plan.runbook() + " · " + plan.title());
    out.println("file     " + plan.file());
    if (plan.source() != null) {
      out.println("source   " + plan.source());
    }
    StringBuilder params = new StringBuilder();
    for (Plan.PlannedParam p : plan.params()) {
      if (params.length() > 0) {
        params.append("  ");
      }
      params
          .append(p.name())
          .append('=')
          .append(
              p.value() == null ? "<not given" + (p.required() ? ", required>" : ">") : p.value());
      if ("default".equals(p.origin())) {
        params.append(" (default)");
      }
    }
    if (params.length() > 0) {
      out.println("params   " + params);
    }
    if (plan.lock() != null) {
      out.println("lock     " + plan.lock());
    }
    if (!plan.assumptions().isEmpty()) {
      out.println("path     following " + plan.assumptions());
    }
    out.println("Nothing runs in a dry run: no command, no connection, no file touched.");
    out.println();
    printSteps(plan.steps(), "");
    if (plan.pathEnd() != null) {
      out.println(
          "The path " + (plan.pathEnd().startsWith("stops") ? "" : "ends: ") + plan.pathEnd());
    }
    if (!plan.unresolved().isEmpty()) {
      out.println();
      out.println("Not known until the run: " + String.join(", ", plan.unresolved()));
    }
  }

  private void printSteps(List<PlannedStep> steps, String indent) {
    for (PlannedStep step : steps) {
      printStep(step, indent);
    }
  }

  private void printStep(PlannedStep step, String indent) {
    String ref = step.ref() == null ? "" : "[" + step.ref() + "] ";
    String title = step.title() == null ? "" : "  " + step.title();
    out.println(indent + ref + step.id() + "  (" + describeKind(step) + ")" + title);
    String inner = indent + "    ";
    if (step.target() != null) {
      out.println(
          inner
              + "on "
              + step.target()
              + (Boolean.TRUE.equals(step.changes()) ? "  — CHANGES the system" : "  — read-only"));
    }
    if (step.command() != null) {
      out.println(inner + "$ " + step.command().replace("\n", "\n" + inner + "  "));
      EnvironmentLines.print(out, inner + "  ", step.environment());
    }
    for (String refused : step.refused()) {
      out.println(inner + "! would fail before running anything: " + refused);
    }
    if (step.call() != null) {
      out.println(inner + "runs " + step.call());
    }
    if (step.detail() != null) {
      for (String line : step.detail().split("\n")) {
        boolean asked = step.kind().equals("question") && !line.startsWith("captures ");
        out.println(inner + (asked ? "? " : "") + line);
      }
    }
    if (step.condition() != null) {
      String word =
          switch (step.kind()) {
            case "poll" -> "until ";
            case "switch" -> "switch ";
            default -> "if ";
          };
      out.println(inner + word + step.condition());
    }
    if (!step.limits().isEmpty()) {
      out.println(inner + String.join(", ", step.limits()));
    }
    if (!step.body().isEmpty()) {
      printSteps(step.body(), inner + "│ ");
    }
    for (Map.Entry<String, String> branch : step.branches().entrySet()) {
      String label =
          switch (branch.getKey()) {
            case "yes" -> step.kind().equals("poll") ? "met" : "yes";
            case "no" -> step.kind().equals("poll") ? "timed out" : "no";
            case "on_failure" -> "on failure";
            case "default" -> "default";
            default -> branch.getKey().startsWith("case ") ? branch.getKey() : "then";
          };
      out.println(inner + label + " → " + branch.getValue());
    }
  }

  private static String describeKind(PlannedStep step) {
    return step.action() != null ? step.kind() + ": " + step.action() : step.kind();
  }
}
