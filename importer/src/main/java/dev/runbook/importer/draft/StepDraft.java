package dev.runbook.importer.draft;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step to write.
 *
 * @param ref the document's step number, or null
 * @param next where it leads when it does not branch; null for the next step in the list
 * @param maxVisits null unless the step is on a cycle
 * @param todos things a person must review, written as {@code # TODO(import): …}
 * @param comments other comments written above the step
 */
public record StepDraft(
    String id,
    String title,
    String ref,
    Kind kind,
    Flow next,
    Flow yes,
    Flow no,
    Integer maxVisits,
    List<String> todos,
    List<String> comments) {

  /** How a review comment begins. */
  public static final String TODO = "TODO(import): ";

  public StepDraft {
    todos = List.copyOf(todos);
    comments = List.copyOf(comments);
  }

  public StepDraft withNext(Flow flow) {
    return new StepDraft(id, title, ref, kind, flow, yes, no, maxVisits, todos, comments);
  }

  public StepDraft withBranches(Flow yesFlow, Flow noFlow) {
    return new StepDraft(id, title, ref, kind, next, yesFlow, noFlow, maxVisits, todos, comments);
  }

  public StepDraft withMaxVisits(Integer visits) {
    return new StepDraft(id, title, ref, kind, next, yes, no, visits, todos, comments);
  }

  /** True when the step ends the run or the procedure. */
  public boolean terminal() {
    return kind instanceof Kind.End || kind instanceof Kind.Return;
  }

  /** True when the step chooses between yes and no. */
  public boolean branches() {
    return yes != null || no != null;
  }

  /** What a step does. */
  public sealed interface Kind {
    record Manual(String text) implements Kind {}

    record Ask(String question) implements Kind {}

    /**
     * @param target the target's name
     * @param changes whether the command changes the system
     */
    record Shell(String command, String target, boolean changes) implements Kind {}

    record Sleep(String duration) implements Kind {}

    record Call(String procedure, Map<String, String> with) implements Kind {
      public Call {
        with = Collections.unmodifiableMap(new LinkedHashMap<>(with));
      }
    }

    record End(String outcome, String message) implements Kind {}

    record Return(boolean value) implements Kind {}
  }
}
