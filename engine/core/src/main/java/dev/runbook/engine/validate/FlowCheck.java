package dev.runbook.engine.validate;

import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Cases;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.parse.Suggestions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shape of one step list: unique ids, branches that lead somewhere, branches where they mean
 * something, every step reachable, every cycle bounded.
 */
final class FlowCheck {

  private final StepList list;
  private final Set<String> idsElsewhere;
  private final List<Problem> problems;
  private final Map<String, Step> byId = new LinkedHashMap<>();

  FlowCheck(StepList list, Set<String> idsElsewhere, List<Problem> problems) {
    this.list = list;
    this.idsElsewhere = idsElsewhere;
    this.problems = problems;
  }

  void run() {
    for (Step step : list.steps()) {
      Step first = byId.putIfAbsent(step.id(), step);
      if (first != null) {
        problems.add(
            new Problem(
                step.positionOf("id"),
                "duplicate step id '"
                    + step.id()
                    + "' (first at line "
                    + first.position().line()
                    + ")"));
      }
    }
    for (Step step : list.steps()) {
      checkBranchRules(step);
      for (Branch branch : step.allBranches()) {
        checkBranch(step, branch);
      }
    }
    checkReachable();
    checkCycles();
  }

  private void checkBranchRules(Step step) {
    StepKind kind = step.kind();
    if (kind instanceof StepKind.Unreadable) {
      return; // its problem is reported; guessing its branch rules would only add noise
    }
    String name = "step '" + step.id() + "'";
    checkYesNo(step, kind, name);
    checkNextAndFailure(step, kind, name);
    checkCases(step, kind, name);
  }

  /**
   * A multi-way step has cases and a default, as a yes/no step has both branches; its cases are
   * told apart by a person as well as by a value.
   */
  private void checkCases(Step step, StepKind kind, String name) {
    boolean written = step.fields().containsKey("cases");
    if (kind instanceof StepKind.Switch && !written) {
      problems.add(
          new Problem(
              step.positionOf("switch"),
              name + ": a switch needs 'cases' (VALUE: step) and a 'default'"));
      return;
    }
    Cases cases = step.cases();
    if (cases == null) {
      return; // none, or unreadable (reported)
    }
    if (!step.fields().containsKey("default")) {
      problems.add(
          new Problem(
              cases.position(),
              name
                  + ": 'cases' needs a 'default': where a value that is none of the cases goes"
                  + " (a person picks it by answering '"
                  + Cases.OTHER
                  + "')"));
    }
    if (cases.byLabel().isEmpty()
        && step.fields().keySet().stream().noneMatch(k -> k.startsWith("cases/"))) {
      problems.add(
          new Problem(cases.position(), name + ": 'cases' is empty; give at least one case"));
    }
    Map<String, String> seen = new HashMap<>();
    for (String label : cases.byLabel().keySet()) {
      Position at = step.positionOf("cases", label);
      String lower = label.toLowerCase(Locale.ROOT);
      if (lower.equals(Cases.OTHER)) {
        problems.add(
            new Problem(
                at,
                name
                    + ": no case may be called '"
                    + label
                    + "': '"
                    + Cases.OTHER
                    + "' is the answer that takes 'default'"));
      } else if (seen.containsKey(lower)) {
        problems.add(
            new Problem(
                at,
                name
                    + ": cases '"
                    + seen.get(lower)
                    + "' and '"
                    + label
                    + "' differ only in letter case, which a person's answer does not tell"
                    + " apart"));
      } else {
        seen.put(lower, label);
      }
    }
  }

  private void checkYesNo(Step step, StepKind kind, String name) {
    // An ask that captures a value (written, even if unreadable) is answered with the value.
    boolean captures = step.fields().containsKey("capture");
    boolean multiWay = step.fields().containsKey("cases");
    boolean needsBoth =
        kind instanceof StepKind.Decision
            || (kind instanceof StepKind.Ask && !captures && !multiWay)
            || (kind instanceof StepKind.ActionCall a && a.condition() != null);
    boolean mayBranch =
        needsBoth
            || (kind instanceof StepKind.ActionCall a && a.isPoll())
            || kind instanceof StepKind.Call
            || kind instanceof StepKind.Foreach;
    // A branch that is written but unreadable (reported) is not missing.
    boolean hasYes = step.fields().containsKey("yes");
    boolean hasNo = step.fields().containsKey("no");
    if (needsBoth && (!hasYes || !hasNo)) {
      String missing = !hasYes ? "yes" : "no";
      problems.add(
          new Problem(
              step.position(),
              name
                  + ": "
                  + withArticle(kind.label())
                  + " needs both 'yes' and 'no'; '"
                  + missing
                  + "' is missing"));
    }
    if (!mayBranch) {
      for (String key : List.of("yes", "no")) {
        if (step.fields().containsKey(key)) {
          problems.add(
              new Problem(
                  step.positionOf(key),
                  name
                      + ": '"
                      + key
                      + "' has no meaning on "
                      + withArticle(kind.label())
                      + " step"
                      + (captures ? " that captures a value (it goes on with 'next')" : "")
                      + (multiWay ? " with 'cases' (they decide, with 'default')" : "")
                      + "; only if, ask, poll, call and foreach steps choose yes or no"));
        }
      }
    }
    if ((kind instanceof StepKind.Call || kind instanceof StepKind.Foreach) && hasYes != hasNo) {
      problems.add(
          new Problem(
              step.position(),
              name + ": give both 'yes' and 'no' for the procedure's result, or neither"));
    }
  }

  private void checkNextAndFailure(Step step, StepKind kind, String name) {
    if (step.next() != null && step.cases() != null) {
      problems.add(
          new Problem(
              step.positionOf("next"),
              name + ": 'next' is never followed: 'cases' and 'default' decide"));
    }
    if (step.next() != null && step.yes() != null && step.no() != null) {
      problems.add(
          new Problem(
              step.positionOf("next"), name + ": 'next' is never followed: 'yes' and 'no' decide"));
    }
    boolean terminal = kind instanceof StepKind.End || kind instanceof StepKind.Return;
    if (terminal && step.next() != null) {
      problems.add(
          new Problem(
              step.positionOf("next"),
              name + ": 'next' is never followed after '" + kind.label() + "'"));
    }
    // Any other step can fail: an action or a procedure, a question whose text names a value
    // that is missing, a step visited more often than its max_visits (a loop through a person
    // that must leave to the document's fallback).
    if (terminal && step.onFailure() != null) {
      problems.add(
          new Problem(
              step.positionOf("on_failure"),
              name + ": 'on_failure' is never followed after '" + kind.label() + "'"));
    }
    if (!list.inProcedure() && kind instanceof StepKind.Return) {
      problems.add(
          new Problem(
              step.positionOf("return"),
              name + ": 'return' exists only inside a procedure; use 'end' to finish the run"));
    }
  }

  private void checkBranch(Step step, Branch branch) {
    if (branch instanceof Branch.GoTo goTo) {
      if (byId.containsKey(goTo.stepId())) {
        return;
      }
      String where =
          idsElsewhere.contains(goTo.stepId())
              ? " in "
                  + list.describe()
                  + " ('"
                  + goTo.stepId()
                  + "' is in another step list; use call)"
              : Suggestions.hint(goTo.stepId(), byId.keySet());
      problems.add(
          new Problem(
              goTo.position(),
              "step '"
                  + step.id()
                  + "': "
                  + keyOf(step, branch)
                  + " names no step '"
                  + goTo.stepId()
                  + "'"
                  + where));
    } else if (branch instanceof Branch.Return && !list.inProcedure()) {
      problems.add(
          new Problem(
              branch.position(),
              "step '"
                  + step.id()
                  + "': {return: …} exists only inside a procedure; use {end: …}"));
    }
  }

  /** How a branch is named in messages: {@code 'next'}, {@code case 'ntp'}, {@code 'default'}. */
  private static String keyOf(Step step, Branch branch) {
    if (branch == step.next()) {
      return "'next'";
    }
    if (branch == step.yes()) {
      return "'yes'";
    }
    if (branch == step.no()) {
      return "'no'";
    }
    if (step.cases() != null) {
      if (branch == step.cases().otherwise()) {
        return "'default'";
      }
      for (Map.Entry<String, Branch> c : step.cases().byLabel().entrySet()) {
        if (c.getValue() == branch) {
          return "case '" + c.getKey() + "'";
        }
      }
    }
    return "'on_failure'";
  }

  /** The steps that can follow {@code index}, by explicit branches and by falling through. */
  List<Integer> successors(int index) {
    return successors(index, false);
  }

  /**
   * @param guess whether a branch naming a missing step leads to the step its "did you mean" names:
   *     the author meant that step, so it is not also reported unreachable
   */
  private List<Integer> successors(int index, boolean guess) {
    Step step = list.steps().get(index);
    List<Integer> next = new ArrayList<>();
    for (Branch branch : step.allBranches()) {
      if (branch instanceof Branch.GoTo goTo) {
        String id = goTo.stepId();
        if (!byId.containsKey(id) && guess && !idsElsewhere.contains(id)) {
          id = Suggestions.closest(id, byId.keySet()).orElse(id);
        }
        if (byId.containsKey(id)) {
          next.add(list.steps().indexOf(byId.get(id)));
        }
      }
    }
    if (step.fallsThrough() && index + 1 < list.steps().size()) {
      next.add(index + 1);
    }
    return next;
  }

  private void checkReachable() {
    int size = list.steps().size();
    if (size == 0) {
      return;
    }
    boolean[] seen = new boolean[size];
    Deque<Integer> queue = new ArrayDeque<>(List.of(0));
    seen[0] = true;
    while (!queue.isEmpty()) {
      for (int next : successors(queue.poll(), true)) {
        if (!seen[next]) {
          seen[next] = true;
          queue.add(next);
        }
      }
    }
    for (int i = 0; i < size; i++) {
      if (!seen[i]) {
        Step step = list.steps().get(i);
        problems.add(
            new Problem(
                step.position(),
                "step '"
                    + step.id()
                    + "' can never be reached: no step in "
                    + list.describe()
                    + " leads to it"));
      }
    }
  }

  /** Tarjan's strongly connected components: each cycle must hold a step with max_visits. */
  private void checkCycles() {
    int size = list.steps().size();
    int[] index = new int[size];
    int[] low = new int[size];
    boolean[] onStack = new boolean[size];
    Arrays.fill(index, -1);
    Deque<Integer> stack = new ArrayDeque<>();
    int[] counter = {0};
    for (int i = 0; i < size; i++) {
      if (index[i] < 0) {
        strongConnect(i, index, low, onStack, stack, counter);
      }
    }
  }

  /**
   * One depth-first search of Tarjan's algorithm, with its own stack of frames instead of the
   * thread's: a generated runbook of thousands of steps in a row must not overflow it.
   */
  private void strongConnect(
      int root, int[] index, int[] low, boolean[] onStack, Deque<Integer> stack, int[] counter) {
    Deque<int[]> frames = new ArrayDeque<>(); // {step, how many of its successors are done}
    List<List<Integer>> successors = new ArrayList<>();
    for (int i = 0; i < index.length; i++) {
      successors.add(null);
    }
    visit(root, index, low, onStack, stack, counter);
    frames.push(new int[] {root, 0});
    while (!frames.isEmpty()) {
      int[] frame = frames.peek();
      int v = frame[0];
      if (successors.get(v) == null) {
        successors.set(v, successors(v));
      }
      List<Integer> next = successors.get(v);
      if (frame[1] < next.size()) {
        int w = next.get(frame[1]++);
        if (index[w] < 0) {
          visit(w, index, low, onStack, stack, counter);
          frames.push(new int[] {w, 0});
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], index[w]);
        }
        continue;
      }
      frames.pop();
      if (!frames.isEmpty()) {
        int parent = frames.peek()[0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      closeComponent(v, index, low, onStack, stack);
    }
  }

  private static void visit(
      int v, int[] index, int[] low, boolean[] onStack, Deque<Integer> stack, int[] counter) {
    index[v] = low[v] = counter[0]++;
    stack.push(v);
    onStack[v] = true;
  }

  /** When {@code v} roots a component, takes it off the stack and checks that it is bounded. */
  private void closeComponent(
      int v, int[] index, int[] low, boolean[] onStack, Deque<Integer> stack) {
    if (low[v] != index[v]) {
      return;
    }
    List<Integer> component = new ArrayList<>();
    int w;
    do {
      w = stack.pop();
      onStack[w] = false;
      component.add(w);
    } while (w != v);
    boolean cycle = component.size() > 1 || successors(v).contains(v);
    if (!cycle) {
      return;
    }
    component.sort(null);
    boolean bounded = component.stream().anyMatch(i -> list.steps().get(i).maxVisits() != null);
    if (!bounded) {
      List<String> ids =
          new ArrayList<>(
              component.stream().map(i -> "'" + list.steps().get(i).id() + "'").toList());
      if (ids.size() > 8) { // a long cycle is named by its first steps, not by all of them
        int more = ids.size() - 5;
        ids = new ArrayList<>(ids.subList(0, 5));
        ids.add("… and " + more + " more");
      }
      Position at = list.steps().get(component.get(0)).position();
      String message =
          ids.size() == 1
              ? "step " + ids.get(0) + " forms a cycle with no bound; give it max_visits"
              : "steps "
                  + String.join(", ", ids)
                  + " form a cycle with no bound; give one of them max_visits";
      problems.add(new Problem(at, message + " so every run ends"));
    }
  }

  /** "an action", "a decision": kind labels start with either. */
  static String withArticle(String label) {
    return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
  }

  Map<String, Step> byId() {
    return new HashMap<>(byId);
  }
}
