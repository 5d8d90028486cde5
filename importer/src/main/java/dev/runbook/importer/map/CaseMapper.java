package dev.runbook.importer.map;

import dev.runbook.importer.document.Case;
import dev.runbook.importer.draft.Flow;
import dev.runbook.importer.draft.StepDraft;
import java.util.ArrayList;
import java.util.List;

/**
 * A step's cases as yes and no branches. "If yes" / "If it is" is yes, "If no" / "If it is not" is
 * no; two conditions in words ("If the dump mode is FTP", "If the dump mode is SFTP") are asked as
 * "Answer yes if the first; no if the second"; three or more are asked one at a time, each a step
 * with the same {@code ref}. A case inside a case ("If yes, check whether the job is abnormal. - If
 * it is…") is a question of its own. A case that names no next step goes on with the next step of
 * the document, and says so in a {@code TODO(import)}.
 */
final class CaseMapper {

  private final StepIds ids;
  private final SharedProcedures shared;
  private final String alarm;
  private final String alarmId;

  CaseMapper(StepIds ids, SharedProcedures shared, String alarm, String alarmId) {
    this.ids = ids;
    this.shared = shared;
    this.alarm = alarm;
    this.alarmId = alarmId;
  }

  /**
   * Where the cases lead.
   *
   * @param answer how to answer the question, when the cases are not a plain yes and no
   * @param hints what the cases say besides where they lead, for the question's text
   * @param aux the steps the cases need (nested questions, a case's own instructions)
   */
  record Branches(
      Flow yes,
      Flow no,
      String answer,
      List<String> hints,
      List<StepDraft> aux,
      List<String> todos,
      List<String> comments) {}

  /**
   * @param number the document's step number: the {@code ref} of every step made here
   * @param after where a case that names no next step goes on
   * @param afterName that step, in words ("step 5", "the end of the procedure")
   * @param question the step's own question, for the extra questions of a many-way branch
   */
  Branches map(List<Case> cases, String number, Flow after, String afterName, String question) {
    List<StepDraft> aux = new ArrayList<>();
    List<String> todos = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    List<String> hints = new ArrayList<>();
    for (Case c : cases) {
      String hint = hint(c);
      if (hint != null) {
        hints.add(hint);
      }
    }
    if (cases.size() >= 3) {
      comments.add("a " + cases.size() + "-way branch in the document, asked one case at a time");
      List<Flow> flows = new ArrayList<>();
      for (Case c : cases) {
        flows.add(flow(c, number, after, afterName, aux, todos));
      }
      Flow no = flows.get(cases.size() - 1);
      for (int k = cases.size() - 2; k >= 1; k--) {
        String id = ids.next(number, "case-" + (k + 1));
        String answer =
            k == cases.size() - 2
                ? "Answer yes " + words(cases.get(k)) + "; no " + words(cases.get(k + 1)) + "."
                : "Answer yes " + words(cases.get(k)) + "; no otherwise.";
        aux.add(
            0,
            new StepDraft(
                id,
                Texts.title(
                    Texts.sentence(
                        cases.get(k).condition().isEmpty()
                            ? cases.get(k).text()
                            : cases.get(k).condition())),
                number,
                new StepDraft.Kind.Ask(Texts.literal(question + "\n" + answer)),
                null,
                flows.get(k),
                no,
                null,
                List.of(),
                List.of()));
        no = new Flow.ToStep(id);
      }
      return new Branches(
          flows.get(0),
          no,
          "Answer yes " + words(cases.get(0)) + "; no otherwise.",
          hints,
          aux,
          todos,
          comments);
    }
    Case yes = null;
    Case no = null;
    String answer = null;
    if (cases.size() == 2) {
      Case first = cases.get(0);
      Case second = cases.get(1);
      boolean swap =
          first.polarity() == Case.Polarity.NO && second.polarity() != Case.Polarity.NO
              || second.polarity() == Case.Polarity.YES && first.polarity() != Case.Polarity.YES
              || ClearedCheck.persistsCondition(first.condition())
                  && !ClearedCheck.persistsCondition(second.condition())
              || ClearedCheck.clearedCondition(second.condition())
                  && !ClearedCheck.clearedCondition(first.condition());
      yes = swap ? second : first;
      no = swap ? first : second;
      boolean plain =
          yes.polarity() == Case.Polarity.YES
              || no.polarity() == Case.Polarity.NO
              || ClearedCheck.clearedCondition(yes.condition())
              || ClearedCheck.persistsCondition(no.condition());
      if (!plain) {
        answer = "Answer yes " + words(yes) + "; no " + words(no) + ".";
      }
      if (yes.polarity() == no.polarity() && yes.polarity() != Case.Polarity.OTHER) {
        todos.add(
            "both cases of step "
                + number
                + " say '"
                + yes.condition()
                + "': the first is taken as yes");
      }
    } else if (cases.size() == 1) {
      Case only = cases.get(0);
      if (only.polarity() == Case.Polarity.NO) {
        no = only;
      } else {
        yes = only;
        if (only.polarity() == Case.Polarity.OTHER) {
          answer = "Answer yes " + words(only) + ".";
        }
      }
      todos.add(
          "step "
              + number
              + " says what to do only if '"
              + only.condition()
              + "': otherwise the runbook goes on with "
              + afterName);
    }
    Flow yesFlow = yes == null ? after : flow(yes, number, after, afterName, aux, todos);
    Flow noFlow = no == null ? after : flow(no, number, after, afterName, aux, todos);
    return new Branches(yesFlow, noFlow, answer, hints, aux, todos, comments);
  }

  private Flow flow(
      Case c,
      String number,
      Flow after,
      String afterName,
      List<StepDraft> aux,
      List<String> todos) {
    if (!c.nested().isEmpty()) {
      return nested(c, number, after, afterName, aux, todos);
    }
    if (c.goTo() != null) {
      return new Flow.ToDocument(c.goTo().number(), c.goTo().label());
    }
    String text = c.text();
    if (c.ending() == Case.Ending.RESOLVED) {
      return new Flow.End(
          "resolved", Texts.message(text.isBlank() ? "No further action is required." : text));
    }
    if (c.ending() == Case.Ending.ESCALATED) {
      return new Flow.End("escalated", Texts.message(text));
    }
    todos.add(
        "'If "
            + c.condition()
            + "' in step "
            + number
            + " names no next step: the runbook goes on with "
            + afterName);
    if (text.isBlank()) {
      return after;
    }
    String id = ids.next(number, "if-" + Hosts.slug(c.condition()));
    aux.add(
        new StepDraft(
            id,
            Texts.title(Texts.sentence(text)),
            number,
            new StepDraft.Kind.Manual(Texts.literal(Texts.sentence(text))),
            after,
            null,
            null,
            null,
            List.of(),
            List.of()));
    return new Flow.ToStep(id);
  }

  /** A case with cases of its own: a question, or a check that the alarm is cleared. */
  private Flow nested(
      Case c,
      String number,
      Flow after,
      String afterName,
      List<StepDraft> aux,
      List<String> todos) {
    String text = c.text();
    boolean cleared =
        ClearedCheck.in(text, alarmId)
            || c.nested().stream()
                .anyMatch(
                    n ->
                        ClearedCheck.clearedCondition(n.condition())
                            || ClearedCheck.persistsCondition(n.condition()));
    String id = ids.next(number, "if-" + Hosts.slug(c.condition()));
    Branches inner = map(c.nested(), number, after, afterName, text);
    StepDraft.Kind kind;
    String title;
    if (cleared) {
      Waits.Wait wait = Waits.in(text);
      if (wait != null && !wait.stated()) {
        todos.add(
            "step "
                + number
                + " waits '"
                + wait.words()
                + "': the runbook waits "
                + wait.duration());
      }
      kind = shared.waitThenCheckCleared(alarm, wait == null ? "0s" : wait.duration());
      title =
          "Is the alarm cleared"
              + (wait == null || wait.duration().equals("0s")
                  ? "?"
                  : " after " + wait.duration() + "?");
    } else {
      String question = Texts.sentence(text.isBlank() ? "Does it apply?" : text);
      if (inner.answer() != null) {
        question = question + "\n" + inner.answer();
      }
      kind = new StepDraft.Kind.Ask(Texts.literal(question));
      title = Texts.title(Texts.sentence(text.isBlank() ? c.condition() : text));
    }
    aux.add(
        new StepDraft(
            id,
            title,
            number,
            kind,
            null,
            inner.yes(),
            inner.no(),
            null,
            inner.todos(),
            inner.comments()));
    aux.addAll(inner.aux());
    return new Flow.ToStep(id);
  }

  /** "if the dump mode is FTP", "for SUSE Linux". */
  private static String words(Case c) {
    String condition = c.condition().strip();
    return condition.isEmpty() ? "if " + Texts.title(c.text()) : c.keyword() + " " + condition;
  }

  /** What a case says besides where it leads, as a line of the question; null when nothing. */
  private static String hint(Case c) {
    String text = c.text();
    String rest =
        text.replaceAll(
                "(?i)(then,?\\s*)?(go\\s*to|goto|perform|proceed\\s+to)\\s+(step\\s+)?[\\w.]+\\.?",
                "")
            .replaceAll("(?i)no\\s+further\\s+action\\s+is\\s+required\\.?", "")
            .replaceAll("[^A-Za-z ]", " ")
            .strip();
    if (rest.split("\\s+").length < 2 || c.nested().size() > 0) {
      return null;
    }
    return Texts.sentence(c.keyword()).replace(".", "") + " " + c.condition() + ": " + text;
  }
}
