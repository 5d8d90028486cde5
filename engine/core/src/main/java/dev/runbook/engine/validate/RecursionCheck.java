package dev.runbook.engine.validate;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A procedure that calls itself, directly or not, could run forever: refuse it. Each cycle is
 * reported once, at the {@code call:} where it starts.
 */
final class RecursionCheck {

  private record CallSite(String callee, Position at) {}

  private RecursionCheck() {}

  static void check(Runbook runbook, List<Problem> problems) {
    Map<String, List<CallSite>> calls = new LinkedHashMap<>();
    for (Procedure procedure : runbook.procedures().values()) {
      List<CallSite> sites = new ArrayList<>();
      for (Step step : procedure.steps()) {
        if (step.kind() instanceof StepKind.Call call) {
          sites.add(new CallSite(call.procedure(), call.procedurePosition()));
        } else if (step.kind() instanceof StepKind.Foreach each) {
          sites.add(new CallSite(each.procedure(), each.procedurePosition()));
        }
      }
      calls.put(procedure.name(), sites);
    }
    Set<Set<String>> reported = new HashSet<>();
    for (String name : calls.keySet()) {
      List<CallSite> path = new ArrayList<>();
      if (!reaches(name, name, calls, path, new HashSet<>())) {
        continue;
      }
      Set<String> members = new HashSet<>();
      path.forEach(site -> members.add(site.callee()));
      if (reported.add(members)) {
        List<String> names = new ArrayList<>(List.of(name));
        path.forEach(site -> names.add(site.callee()));
        problems.add(
            new Problem(
                path.get(0).at(),
                "procedure '"
                    + name
                    + "' calls itself ("
                    + String.join(" → ", names)
                    + "); procedures may not recurse"));
      }
    }
  }

  private static boolean reaches(
      String from,
      String goal,
      Map<String, List<CallSite>> calls,
      List<CallSite> path,
      Set<String> seen) {
    for (CallSite site : calls.getOrDefault(from, List.of())) {
      path.add(site);
      if (site.callee().equals(goal)) {
        return true;
      }
      if (seen.add(site.callee()) && reaches(site.callee(), goal, calls, path, seen)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }
}
