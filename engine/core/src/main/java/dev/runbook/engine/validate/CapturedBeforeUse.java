package dev.runbook.engine.validate;

import dev.runbook.engine.model.Branch;
import dev.runbook.engine.model.Captures;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A captured value is read only where it surely has one: every path from the first step to the step
 * that reads it passes a step that captures it (Java's definite assignment, for runbooks). Along
 * {@code on_failure} a step counts as not having captured anything.
 *
 * <p>A procedure may read a value its caller captured: what it reads without capturing it first is
 * checked at each of its calls, as if the call read it. A call captures what its procedure captures
 * on every way back to the caller; a {@code foreach} nothing (it may run no item).
 */
final class CapturedBeforeUse {

  /**
   * A reading of a captured value: where, and the procedure that reads it when the step is a call
   * ({@code procedure 'p' (line 12)}), or null when the step reads it itself.
   */
  private record Use(String name, Position at, String through) {}

  /** What a walk of a step list found: reads not surely captured, and what is on every return. */
  private record Summary(List<Use> unsure, Set<String> onReturn) {}

  private final Runbook runbook;
  private final Captures captures;
  private final List<Problem> problems;
  private final Map<String, Summary> procedures = new HashMap<>();
  private final Set<String> walking = new HashSet<>();

  CapturedBeforeUse(Runbook runbook, Captures captures, List<Problem> problems) {
    this.runbook = runbook;
    this.captures = captures;
    this.problems = problems;
  }

  void check() {
    if (captures.byName().isEmpty()) {
      return; // every ${captured.X} is already reported as naming no capture
    }
    Map<Use, Step> readers = new HashMap<>();
    for (Use use : walk(runbook.steps(), readers).unsure()) {
      Step step = readers.get(use);
      String read = "${captured." + use.name() + "}";
      problems.add(
          new Problem(
              use.at(),
              "step '"
                  + step.id()
                  + "': "
                  + (use.through() == null ? read : use.through() + " reads " + read + ", which")
                  + " may have no value here: a path from the first step reaches this step"
                  + " without passing "
                  + capturedBy(use.name())));
    }
  }

  private String capturedBy(String name) {
    String by = captures.capturedBy(name);
    return (by.contains(" or ") ? "steps '" : "step '")
        + by.replace(" or ", "' or '")
        + "', which capture"
        + (by.contains(" or ") ? "" : "s")
        + " it";
  }

  /** Forward must-analysis over one list: the names surely captured on entry to each step. */
  private Summary walk(List<Step> steps, Map<Use, Step> readers) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      index.putIfAbsent(steps.get(i).id(), i);
    }
    List<Set<String>> in = new ArrayList<>();
    steps.forEach(s -> in.add(null)); // null: not reached yet (every name, for an intersection)
    Set<String> onReturn = null;
    if (steps.isEmpty()) {
      return new Summary(List.of(), Set.of());
    }
    in.set(0, new HashSet<>());
    Deque<Integer> work = new ArrayDeque<>(List.of(0));
    int guard = 0;
    while (!work.isEmpty() && guard++ < 100_000) {
      int i = work.poll();
      Step step = steps.get(i);
      Set<String> out = new HashSet<>(in.get(i));
      out.addAll(captured(step));
      for (Branch branch : normalBranches(step)) {
        onReturn = flow(branch, out, index, in, work, onReturn);
      }
      if (step.onFailure() != null) {
        onReturn = flow(step.onFailure(), in.get(i), index, in, work, onReturn);
      }
      if (step.fallsThrough()) {
        if (i + 1 < steps.size()) {
          merge(i + 1, out, in, work);
        } else {
          onReturn = intersect(onReturn, out);
        }
      } else if (step.kind() instanceof StepKind.Return) {
        onReturn = intersect(onReturn, out);
      }
    }
    List<Use> unsure = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (in.get(i) == null) {
        continue; // unreachable: reported as such
      }
      for (Use use : uses(steps.get(i))) {
        if (captures.has(use.name()) && !in.get(i).contains(use.name())) {
          unsure.add(use);
          readers.putIfAbsent(use, steps.get(i));
        }
      }
    }
    return new Summary(
        unsure, onReturn == null ? Set.copyOf(captures.byName().keySet()) : onReturn);
  }

  /** Where a step goes when it succeeds: every branch it names but {@code on_failure}. */
  private static List<Branch> normalBranches(Step step) {
    List<Branch> branches = new ArrayList<>(step.allBranches());
    if (step.onFailure() != null) {
      branches.remove(branches.size() - 1);
    }
    return branches;
  }

  private Set<String> flow(
      Branch branch,
      Set<String> value,
      Map<String, Integer> index,
      List<Set<String>> in,
      Deque<Integer> work,
      Set<String> onReturn) {
    if (branch instanceof Branch.GoTo goTo) {
      Integer to = index.get(goTo.stepId());
      if (to != null) {
        merge(to, value, in, work);
      }
      return onReturn;
    }
    return branch instanceof Branch.Return ? intersect(onReturn, value) : onReturn;
  }

  private static void merge(int to, Set<String> value, List<Set<String>> in, Deque<Integer> work) {
    Set<String> before = in.get(to);
    Set<String> after = before == null ? new HashSet<>(value) : new HashSet<>(before);
    if (before != null) {
      after.retainAll(value);
    }
    if (!after.equals(before)) {
      in.set(to, after);
      work.add(to);
    }
  }

  private static Set<String> intersect(Set<String> so, Set<String> value) {
    if (so == null) {
      return new HashSet<>(value);
    }
    Set<String> both = new HashSet<>(so);
    both.retainAll(value);
    return both;
  }

  /** What a step surely captures when it succeeds. */
  private Set<String> captured(Step step) {
    var spec = StepKind.captureOf(step.kind());
    if (spec != null) {
      return Set.of(spec.name());
    }
    if (step.kind() instanceof StepKind.Call call) {
      Summary callee = procedure(call.procedure());
      return callee == null ? Set.of() : callee.onReturn();
    }
    return Set.of();
  }

  /** The walk of a procedure, once; a recursive call (reported elsewhere) adds nothing. */
  private Summary procedure(String name) {
    Procedure procedure = runbook.procedures().get(name);
    if (procedure == null || walking.contains(name)) {
      return null;
    }
    Summary known = procedures.get(name);
    if (known == null) {
      walking.add(name);
      known = walk(procedure.steps(), new HashMap<>());
      walking.remove(name);
      procedures.put(name, known);
    }
    return known;
  }

  /** Every reading of a captured value by a step, with the procedure reads of a call. */
  private List<Use> uses(Step step) {
    Set<Use> uses = new LinkedHashSet<>();
    for (CapturedReads.Read read : CapturedReads.of(runbook, step)) {
      uses.add(new Use(read.name(), read.at(), null));
    }
    String callee = null;
    if (step.kind() instanceof StepKind.Call call) {
      callee = call.procedure();
    } else if (step.kind() instanceof StepKind.Foreach each) {
      callee = each.procedure();
    }
    Summary summary = callee == null ? null : procedure(callee);
    if (summary != null) {
      Position at = step.positionOf(step.kind() instanceof StepKind.Call ? "call" : "foreach");
      for (Use inner : summary.unsure()) {
        String through =
            inner.through() == null
                ? "procedure '" + callee + "' (line " + inner.at().line() + ")"
                : inner.through();
        uses.add(new Use(inner.name(), at, through));
      }
    }
    return List.copyOf(uses);
  }
}
