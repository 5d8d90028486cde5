package dev.runbook.importer.map;

import dev.runbook.importer.draft.Flow;
import dev.runbook.importer.draft.StepDraft;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The last pass over a runbook's steps, so that the validator accepts it: every go-to resolved to
 * the step that begins the document step it names (by link label, else by number); a step that no
 * branch reaches reached by a question where the procedure would end before it; every cycle bounded
 * by {@code max_visits} on the step a back-edge leads to.
 */
final class FlowFinisher {

  /** How often a step on a cycle may run: vendor procedures loop back once or twice. */
  static final int MAX_VISITS = 3;

  private final StepIds ids;
  private final Function<Flow.ToDocument, String> entries;
  private final List<String> notes;

  /**
   * @param entries the id of the first step of a document step, or null when there is none
   * @param notes where problems that concern the whole runbook are reported
   */
  FlowFinisher(StepIds ids, Function<Flow.ToDocument, String> entries, List<String> notes) {
    this.ids = ids;
    this.entries = entries;
    this.notes = notes;
  }

  List<StepDraft> finish(List<StepDraft> drafted) {
    List<StepDraft> steps = resolve(drafted);
    steps = endOpenSteps(steps);
    steps = reachAll(steps);
    steps = endOpenSteps(steps);
    return boundCycles(steps);
  }

  private List<StepDraft> resolve(List<StepDraft> drafted) {
    List<StepDraft> out = new ArrayList<>();
    List<StepDraft> missing = new ArrayList<>();
    Map<String, String> missingIds = new HashMap<>();
    for (StepDraft s : drafted) {
      List<String> todos = new ArrayList<>(s.todos());
      Function<Flow, Flow> fix =
          f -> {
            if (!(f instanceof Flow.ToDocument doc)) {
              return f;
            }
            String id = entries.apply(doc);
            if (id != null) {
              return new Flow.ToStep(id);
            }
            String stand =
                missingIds.computeIfAbsent(
                    doc.number(),
                    n -> {
                      String sid = ids.next(n, "missing");
                      missing.add(
                          new StepDraft(
                              sid,
                              "The document names step " + n + ", which it does not have",
                              n,
                              new StepDraft.Kind.Manual(
                                  "The document sends you to step "
                                      + n
                                      + ", which it does not have. Decide what to do, do it, and confirm."),
                              new Flow.End(
                                  "escalated", "The document names a step it does not have."),
                              null,
                              null,
                              null,
                              List.of(
                                  "step " + n + " is named by a go-to but is not in the document"),
                              List.of()));
                      return sid;
                    });
            return new Flow.ToStep(stand);
          };
      out.add(
          new StepDraft(
              s.id(),
              s.title(),
              s.ref(),
              s.kind(),
              s.next() == null ? null : fix.apply(s.next()),
              s.yes() == null ? null : fix.apply(s.yes()),
              s.no() == null ? null : fix.apply(s.no()),
              s.maxVisits(),
              todos,
              s.comments()));
    }
    out.addAll(missing);
    return out;
  }

  /** A step that would fall into steps it does not lead to ends the run where it is. */
  private static List<StepDraft> endOpenSteps(List<StepDraft> steps) {
    List<StepDraft> out = new ArrayList<>(steps);
    for (int i = 0; i + 1 < out.size(); i++) {
      StepDraft s = out.get(i);
      if (!s.terminal() && !s.branches() && s.next() == null) {
        out.set(i, s.withNext(new Flow.End("resolved", "The procedure ends here.")));
      }
    }
    return out;
  }

  private static List<Integer> successors(
      List<StepDraft> steps, Map<String, Integer> index, int i) {
    StepDraft s = steps.get(i);
    List<Integer> next = new ArrayList<>();
    if (s.terminal()) {
      return next;
    }
    if (s.branches()) {
      for (Flow f : new Flow[] {s.yes(), s.no()}) {
        if (f instanceof Flow.ToStep to && index.containsKey(to.id())) {
          next.add(index.get(to.id()));
        }
      }
      return next;
    }
    if (s.next() == null) {
      if (i + 1 < steps.size()) {
        next.add(i + 1);
      }
    } else if (s.next() instanceof Flow.ToStep to && index.containsKey(to.id())) {
      next.add(index.get(to.id()));
    }
    return next;
  }

  private static boolean[] reachable(List<StepDraft> steps) {
    Map<String, Integer> index = index(steps);
    boolean[] seen = new boolean[steps.size()];
    if (steps.isEmpty()) {
      return seen;
    }
    Deque<Integer> queue = new ArrayDeque<>(List.of(0));
    seen[0] = true;
    while (!queue.isEmpty()) {
      for (int n : successors(steps, index, queue.poll())) {
        if (!seen[n]) {
          seen[n] = true;
          queue.add(n);
        }
      }
    }
    return seen;
  }

  private static Map<String, Integer> index(List<StepDraft> steps) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      index.put(steps.get(i).id(), i);
    }
    return index;
  }

  /**
   * A step no branch leads to (the document reaches it only in prose, or after saying the procedure
   * is over) is reached by a question where the procedure would end before it: "The document ends
   * here. Go on with step 12 anyway?"
   */
  private List<StepDraft> reachAll(List<StepDraft> input) {
    List<StepDraft> steps = new ArrayList<>(input);
    for (int round = 0; round < input.size() + 1; round++) {
      boolean[] seen = reachable(steps);
      int u = -1;
      for (int i = 0; i < steps.size(); i++) {
        if (!seen[i]) {
          u = i;
          break;
        }
      }
      if (u < 0) {
        return steps;
      }
      StepDraft target = steps.get(u);
      if (headingOfSubSteps(steps, seen, u)) {
        continue;
      }
      if (!bridge(steps, seen, u, target)) {
        notes.add(
            StepDraft.TODO
                + "step "
                + target.ref()
                + " ('"
                + target.title()
                + "') is reached by nothing in the document and was left out");
        steps.remove(u);
      }
    }
    return steps;
  }

  /**
   * A numbered step that only heads its sub-steps ("2. Check whether the process is normal." then
   * 2.a, 2.b …), which the document's go-tos pass by ("go to 2.a"): its text becomes a comment
   * above its first sub-step instead of a step nothing leads to.
   */
  private static boolean headingOfSubSteps(List<StepDraft> steps, boolean[] seen, int u) {
    String ref = steps.get(u).ref();
    if (ref == null) {
      return false;
    }
    int end = u;
    while (end < steps.size() && ref.equals(steps.get(end).ref()) && !seen[end]) {
      end++;
    }
    if (end >= steps.size()
        || steps.get(end).ref() == null
        || !steps.get(end).ref().startsWith(ref + ".")) {
      return false;
    }
    String heading = "step " + ref + " of the document: " + steps.get(u).title();
    StepDraft first = steps.get(end);
    List<String> comments = new ArrayList<>();
    comments.add(heading);
    comments.addAll(first.comments());
    steps.set(
        end,
        new StepDraft(
            first.id(),
            first.title(),
            first.ref(),
            first.kind(),
            first.next(),
            first.yes(),
            first.no(),
            first.maxVisits(),
            first.todos(),
            comments));
    steps.subList(u, end).clear();
    return true;
  }

  private boolean bridge(List<StepDraft> steps, boolean[] seen, int u, StepDraft target) {
    for (int p = u - 1; p >= 0; p--) {
      if (!seen[p]) {
        continue;
      }
      StepDraft s = steps.get(p);
      String todo =
          "step "
              + target.ref()
              + " is reached by no branch of the document: the runbook asks whether to go on with it where the procedure would end";
      if (s.kind() instanceof StepDraft.Kind.End end) {
        List<String> todos = new ArrayList<>(s.todos());
        todos.add(todo);
        steps.set(
            p,
            new StepDraft(
                s.id(),
                s.title(),
                s.ref(),
                new StepDraft.Kind.Ask(question(end.message(), target)),
                null,
                new Flow.ToStep(target.id()),
                new Flow.End(end.outcome(), end.message()),
                s.maxVisits(),
                todos,
                s.comments()));
        return true;
      }
      for (String branch : new String[] {"next", "yes", "no"}) {
        Flow f = branch.equals("next") ? s.next() : branch.equals("yes") ? s.yes() : s.no();
        if (f instanceof Flow.End end && (branch.equals("next") ? !s.branches() : true)) {
          String id = ids.next(target.ref(), "go-on");
          StepDraft ask =
              new StepDraft(
                  id,
                  "Go on with step " + target.ref() + "?",
                  s.ref(),
                  new StepDraft.Kind.Ask(question(end.message(), target)),
                  null,
                  new Flow.ToStep(target.id()),
                  new Flow.End(end.outcome(), end.message()),
                  null,
                  List.of(todo),
                  List.of());
          Flow to = new Flow.ToStep(id);
          steps.set(
              p,
              branch.equals("next")
                  ? s.withNext(to)
                  : branch.equals("yes")
                      ? s.withBranches(to, s.no())
                      : s.withBranches(s.yes(), to));
          steps.add(ask);
          return true;
        }
      }
    }
    return false;
  }

  private static String question(String message, StepDraft target) {
    String said = message == null ? "" : " (\"" + message + "\")";
    return Texts.literal(
        "The document ends the procedure here"
            + said
            + ", but goes on with step "
            + target.ref()
            + ": "
            + target.title()
            + ". Go on with step "
            + target.ref()
            + "?");
  }

  /** Every edge that leads back (to a step at or before its own place) bounds its target. */
  private static List<StepDraft> boundCycles(List<StepDraft> steps) {
    Map<String, Integer> index = index(steps);
    boolean[] bound = new boolean[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      for (int n : successors(steps, index, i)) {
        if (n <= i) {
          bound[n] = true;
        }
      }
    }
    List<StepDraft> out = new ArrayList<>(steps);
    for (int i = 0; i < out.size(); i++) {
      if (bound[i] && out.get(i).maxVisits() == null) {
        out.set(i, out.get(i).withMaxVisits(MAX_VISITS));
      }
    }
    return out;
  }
}
