package dev.runbook.importer.map;

import dev.runbook.importer.document.Case;
import dev.runbook.importer.document.DocStep;
import dev.runbook.importer.draft.Flow;
import dev.runbook.importer.draft.StepDraft;
import java.util.ArrayList;
import java.util.List;

/**
 * One numbered step as runbook steps, all with its number as {@code ref}: a login check when the
 * step logs in for commands that follow, a manual step for what a person does, a shell step per
 * command, then the decision (a question, or a call of {@code wait-then-check-cleared}) with its
 * cases as branches, or the end the step's text states. The first step takes the id {@code step-N},
 * which go-tos lead to.
 */
final class ChainBuilder {

  private final StepIds ids;
  private final Hosts hosts;
  private final SharedProcedures shared;
  private final CaseMapper cases;
  private final String alarm;

  ChainBuilder(StepIds ids, Hosts hosts, SharedProcedures shared, CaseMapper cases, String alarm) {
    this.ids = ids;
    this.hosts = hosts;
    this.shared = shared;
    this.cases = cases;
    this.alarm = alarm;
  }

  /** A step being put together: the id is given when the chain is in order. */
  private record Pending(
      String suffix,
      String title,
      StepDraft.Kind kind,
      Flow yes,
      Flow no,
      List<String> todos,
      List<String> comments) {}

  /**
   * @param after the next step of the document, or null at the end
   * @param afterName it in words
   * @param loginUsedLater whether a later command runs where this step logs in
   * @param intoTail whether the step falls through into the "Collect fault information" steps
   */
  List<StepDraft> build(
      Analysis a, Flow after, String afterName, boolean loginUsedLater, boolean intoTail) {
    DocStep step = a.step();
    List<Pending> chain = new ArrayList<>();
    List<String> instructions = new ArrayList<>(a.instructions());
    if (a.login() != null && !a.hasRunnable()) {
      if (loginUsedLater) {
        chain.add(loginCheck(a.login()));
      } else if (a.loginText() != null) {
        instructions.add(0, Texts.sentence(a.loginText()));
      }
    }
    boolean hasCases = !step.cases().isEmpty();
    boolean clearedDecision =
        a.cleared() != null && (hasCases || a.question().matches("(?is).*check.*"));
    List<Pending> shells = shells(a);
    // A question holds the step's whole text: what a person does is said there.
    Pending manual = hasCases && !clearedDecision ? null : manual(instructions, a.context());
    if (manual != null && a.instructionsFirst()) {
      chain.add(manual);
    }
    chain.addAll(shells);
    if (manual != null && !a.instructionsFirst()) {
      chain.add(manual);
    }
    List<StepDraft> aux = new ArrayList<>();
    if (hasCases || clearedDecision) {
      chain.add(decision(a, after, afterName, clearedDecision, shells, aux));
    } else if (a.ending() != Case.Ending.NONE) {
      String outcome = a.ending() == Case.Ending.RESOLVED ? "resolved" : "escalated";
      chain.add(
          pending(
              "end",
              Texts.title(a.endingMessage()),
              new StepDraft.Kind.End(outcome, Texts.message(a.endingMessage()))));
    } else if (intoTail) {
      chain.add(clearedBeforeTheTail(step, after));
    }
    if (chain.isEmpty()) {
      String text =
          step.text().isBlank() ? "Step " + step.number() + " of the document." : step.text();
      chain.add(pending("do", Texts.title(text), new StepDraft.Kind.Manual(Texts.literal(text))));
    }
    List<StepDraft> out = drafts(step, chain, a.todos(), after);
    out.addAll(aux);
    return out;
  }

  private static Pending pending(String suffix, String title, StepDraft.Kind kind) {
    return new Pending(suffix, title, kind, null, null, List.of(), List.of());
  }

  /** A login that later commands use: checked by running {@code id -un} there. */
  private Pending loginCheck(Login login) {
    String target = hosts.target(login);
    return new Pending(
        "login",
        Texts.title("Log in to " + login.describe()),
        new StepDraft.Kind.Shell("id -un", target, false),
        null,
        null,
        List.of(),
        List.of("the document logs in here; the commands that follow run on target " + target));
  }

  private static List<Pending> shells(Analysis a) {
    List<Pending> shells = new ArrayList<>();
    for (Analysis.Command c : a.commands()) {
      if (c.runnable()) {
        shells.add(
            pending(
                shells.isEmpty() ? "run" : "run-" + (shells.size() + 1),
                Texts.title("Run: " + c.display()),
                new StepDraft.Kind.Shell(c.line(), c.target(), c.changes())));
      }
    }
    return shells;
  }

  private static Pending manual(List<String> instructions, List<String> context) {
    if (instructions.isEmpty()) {
      return null;
    }
    String text = String.join("\n", instructions);
    if (!context.isEmpty()) {
      text = text + "\n\n" + String.join("\n\n", context);
    }
    return pending(
        "do", Texts.title(instructions.get(0)), new StepDraft.Kind.Manual(Texts.literal(text)));
  }

  /** The step's decision: its cases as branches of a question or of the cleared check. */
  private Pending decision(
      Analysis a,
      Flow after,
      String afterName,
      boolean clearedDecision,
      List<Pending> shells,
      List<StepDraft> aux) {
    DocStep step = a.step();
    Flow fallThrough = after == null ? new Flow.End("resolved", "The procedure ends here.") : after;
    CaseMapper.Branches branches =
        step.cases().isEmpty()
            ? null
            : cases.map(step.cases(), step.number(), fallThrough, afterName, a.question());
    List<String> todos = new ArrayList<>();
    StepDraft.Kind kind;
    String title;
    if (clearedDecision) {
      Waits.Wait wait = a.cleared();
      if (!wait.stated()) {
        todos.add(
            "step "
                + step.number()
                + " waits '"
                + wait.words()
                + "': the runbook waits "
                + wait.duration());
      }
      if (branches == null) {
        todos.add(
            "step "
                + step.number()
                + " checks whether the alarm is cleared but says nothing of either answer");
      }
      kind = shared.waitThenCheckCleared(alarm, wait.duration());
      title =
          "Is the alarm cleared"
              + (wait.duration().equals("0s") ? "?" : " after " + wait.duration() + "?");
    } else {
      StringBuilder question = new StringBuilder(a.question());
      if (!shells.isEmpty()) {
        question.append("\n(The output of the command above tells.)");
        todos.add(
            "the answer to step "
                + step.number()
                + " is in the output of '"
                + Texts.title(shells.get(shells.size() - 1).title().replaceFirst("^Run: ", ""))
                + "': a condition on its result could answer it");
      }
      if (branches.answer() != null) {
        question.append("\n").append(branches.answer());
      }
      branches.hints().forEach(h -> question.append("\n").append(h));
      kind = new StepDraft.Kind.Ask(Texts.literal(question.toString()));
      title = Texts.title(a.question());
    }
    List<String> comments = new ArrayList<>();
    if (branches != null) {
      todos.addAll(branches.todos());
      comments.addAll(branches.comments());
      aux.addAll(branches.aux());
    }
    return new Pending(
        clearedDecision ? "cleared" : "check",
        title,
        kind,
        branches == null ? null : branches.yes(),
        branches == null ? null : branches.no(),
        todos,
        comments);
  }

  /** A step that would fall into the log collection asks first whether the alarm is cleared. */
  private Pending clearedBeforeTheTail(DocStep step, Flow after) {
    return new Pending(
        "cleared",
        "Is the alarm cleared?",
        shared.waitThenCheckCleared(alarm, "0s"),
        new Flow.End("resolved", "The alarm is cleared."),
        after,
        List.of(
            "the document does not say what follows step "
                + step.number()
                + "; the next steps collect fault information, so the runbook asks whether the"
                + " alarm is cleared first"),
        List.of());
  }

  /** The chain in order, with ids ({@code step-N} first) and each step leading to the next. */
  private List<StepDraft> drafts(
      DocStep step, List<Pending> chain, List<String> todos, Flow after) {
    List<StepDraft> out = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      Pending p = chain.get(i);
      String id = i == 0 ? ids.next(step.number(), null) : ids.next(step.number(), p.suffix());
      List<String> stepTodos = new ArrayList<>(i == 0 ? todos : List.of());
      stepTodos.addAll(p.todos());
      out.add(
          new StepDraft(
              id,
              p.title(),
              step.number(),
              p.kind(),
              null,
              p.yes(),
              p.no(),
              null,
              stepTodos,
              p.comments()));
    }
    for (int i = 0; i < out.size(); i++) {
      StepDraft s = out.get(i);
      if (!s.terminal() && !s.branches()) {
        out.set(i, s.withNext(i + 1 < out.size() ? new Flow.ToStep(out.get(i + 1).id()) : after));
      }
    }
    return out;
  }
}
