package dev.runbook.cli;

import dev.runbook.engine.Engine;
import dev.runbook.engine.Refused;
import dev.runbook.engine.model.LibraryUse;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.TargetSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    description = "Describe a runbook: source, alarms, parameters, targets, steps.")
final class ShowCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "ALARM_OR_ID", description = "An alarm id or runbook id.")
  String name;

  @Override
  public Integer call() throws Refused {
    Engine.Catalog.Entry found = session().engine().find(name);
    Runbook r = found.runbook();
    PrintWriter out = out();
    out.println(r.id() + " · " + r.title());
    out.println("file      " + r.file());
    if (r.source() != null) {
      out.println(
          "source    "
              + r.source().document()
              + (r.source().section() == null ? "" : " — " + r.source().section()));
      if (r.source().applies() != null) {
        out.println("applies   " + r.source().applies());
      }
    }
    if (!r.alarms().isEmpty()) {
      out.println("alarms    " + String.join(", ", r.alarms()));
    }
    if (r.severity() != null) {
      out.println("severity  " + r.severity());
    }
    if (r.lock() != null) {
      out.println("lock      " + r.lock().raw());
    }
    if (r.description() != null) {
      out.println();
      out.println(r.description().strip());
    }
    if (!r.params().isEmpty()) {
      out.println();
      out.println("Parameters:");
      r.params().values().forEach(p -> out.println("  " + describe(p)));
    }
    List<TargetSpec> targets =
        r.targets().values().stream().filter(t -> !t.name().equals(TargetSpec.LOCAL)).toList();
    if (!targets.isEmpty()) {
      out.println();
      out.println("Targets:");
      for (TargetSpec t : targets) {
        List<String> settings = new ArrayList<>();
        t.settings().forEach((k, v) -> settings.add(k + "=" + v.raw()));
        out.println("  " + t.name() + " (" + t.kind() + ") " + String.join(" ", settings));
      }
    }
    out.println();
    out.println(
        "Steps: "
            + r.steps().size()
            + " main"
            + (r.procedures().isEmpty()
                ? ""
                : ", procedures "
                    + String.join(
                        ", ",
                        r.procedures().keySet().stream()
                            .map(n -> n + " (" + r.procedures().get(n).steps().size() + ")")
                            .toList())));
    for (Procedure p : r.procedures().values()) {
      if (p.doc() != null) {
        out.println("  " + p.name() + ": " + p.doc().strip());
      }
    }
    if (!r.uses().isEmpty()) {
      // Which library file answered each use: what a run of it now would record.
      out.println();
      out.println("Uses:");
      for (LibraryUse use : r.uses()) {
        out.println(
            "  "
                + use.library()
                + (use.linked() ? " (" + use.file() + ")" : " (not found)")
                + ": calls "
                + String.join(
                    ", ",
                    r.shared().keySet().stream()
                        .filter(n -> n.startsWith(use.library() + "."))
                        .toList()));
      }
    }
    out.println();
    out.println("Preview:  runbook run " + r.id() + " --dry-run" + requiredParams(r));
    out.println("Graph:    runbook graph " + r.id() + " --format mermaid");
    if (!found.problems().isEmpty()) {
      err().println("This runbook has problems; 'runbook validate " + r.file() + "' lists them.");
    }
    return ExitCodes.OK;
  }

  private static String describe(ParamSpec p) {
    StringBuilder line = new StringBuilder(p.name()).append(" (").append(p.type().label());
    if (p.required()) {
      line.append(", required");
    }
    if (p.secret()) {
      line.append(", secret");
    }
    if (p.defaultValue() != null) {
      line.append(", default ").append(p.defaultValue());
    }
    if (!p.values().isEmpty()) {
      line.append(", one of ").append(String.join("|", p.values()));
    }
    line.append(')');
    if (p.doc() != null) {
      line.append("  ").append(p.doc());
    }
    return line.toString();
  }

  private static String requiredParams(Runbook r) {
    StringBuilder line = new StringBuilder();
    for (ParamSpec p : r.params().values()) {
      if (p.required() && !p.secret()) {
        line.append(" -p ").append(p.name()).append("=…");
      }
    }
    return line.toString();
  }
}
