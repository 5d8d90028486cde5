package dev.runbook.importer.write;

import dev.runbook.importer.draft.Flow;
import dev.runbook.importer.draft.ParamDraft;
import dev.runbook.importer.draft.ProcedureDraft;
import dev.runbook.importer.draft.RunbookDraft;
import dev.runbook.importer.draft.SourceDraft;
import dev.runbook.importer.draft.StepDraft;
import dev.runbook.importer.draft.TargetDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a runbook draft as YAML in the library's style: block mappings, one step after another,
 * short parameter and target entries in flow style, review notes as {@code # TODO(import): …}
 * comments above the step they concern. {@code next} is written only where the flow is not the next
 * step of the list.
 */
public final class YamlWriter {

  private final StringBuilder out = new StringBuilder();

  private YamlWriter() {}

  public static String write(RunbookDraft runbook) {
    YamlWriter writer = new YamlWriter();
    writer.runbook(runbook);
    return writer.out.toString();
  }

  private void runbook(RunbookDraft r) {
    for (String note : r.notes()) {
      comment("", note);
    }
    line("runbook: " + YamlScalars.inline(r.id()));
    line("title: " + YamlScalars.inline(r.title()));
    if (r.description() != null && !r.description().isBlank()) {
      line("description: " + YamlScalars.value(r.description(), 0));
    }
    source(r.source());
    if (!r.alarms().isEmpty()) {
      line(
          "alarms: ["
              + String.join(", ", r.alarms().stream().map(YamlScalars::quotedIfNumber).toList())
              + "]");
    }
    if (r.severity() != null) {
      line("severity: " + r.severity());
    }
    if (!r.params().isEmpty()) {
      line("");
      line("params:");
      r.params().forEach(p -> param(p, "  "));
    }
    if (!r.targets().isEmpty()) {
      line("");
      line("targets:");
      for (TargetDraft t : r.targets()) {
        String user = t.user() == null ? "" : ", user: " + YamlScalars.inline(t.user());
        line("  " + t.name() + ": {ssh: " + YamlScalars.quoted(t.host()) + user + "}");
      }
    }
    if (!r.procedures().isEmpty()) {
      line("");
      line("procedures:");
      for (ProcedureDraft p : r.procedures()) {
        procedure(p);
      }
    }
    line("");
    line("steps:");
    steps(r.steps(), "  ");
  }

  private void source(SourceDraft s) {
    if (s == null) {
      return;
    }
    line("source:");
    line("  document: " + YamlScalars.inline(s.document()));
    if (s.section() != null) {
      line("  section: " + YamlScalars.inline(s.section()));
    }
    if (s.applies() != null) {
      line("  applies: " + YamlScalars.inline(s.applies()));
    }
    if (s.url() != null) {
      line("  url: " + YamlScalars.inline(s.url()));
    }
  }

  private void param(ParamDraft p, String indent) {
    List<String> fields = new ArrayList<>();
    fields.add("type: " + p.type());
    if (p.required()) {
      fields.add("required: true");
    }
    if (p.defaultValue() != null) {
      fields.add("default: " + YamlScalars.inline(p.defaultValue()));
    }
    if (p.doc() != null && !p.doc().isBlank()) {
      fields.add("doc: " + YamlScalars.inline(p.doc()));
    }
    line(indent + p.name() + ": {" + String.join(", ", fields) + "}");
  }

  private void procedure(ProcedureDraft p) {
    line("  " + p.name() + ":");
    if (p.doc() != null) {
      line("    doc: " + YamlScalars.value(p.doc(), 4));
    }
    if (!p.inputs().isEmpty()) {
      line("    inputs:");
      p.inputs().forEach(i -> param(i, "      "));
    }
    line("    steps:");
    steps(p.steps(), "      ");
  }

  private void steps(List<StepDraft> steps, String indent) {
    for (int i = 0; i < steps.size(); i++) {
      StepDraft step = steps.get(i);
      String following = i + 1 < steps.size() ? steps.get(i + 1).id() : null;
      step(step, following, indent);
    }
  }

  private void step(StepDraft s, String following, String indent) {
    for (String c : s.comments()) {
      comment(indent, c);
    }
    for (String todo : s.todos()) {
      comment(indent, StepDraft.TODO + todo);
    }
    String field = indent + "  ";
    int depth = field.length();
    line(indent + "- id: " + s.id());
    if (s.title() != null) {
      line(field + "title: " + YamlScalars.inline(s.title()));
    }
    if (s.ref() != null) {
      line(field + "ref: " + YamlScalars.quoted(s.ref()));
    }
    kind(s.kind(), field, depth);
    if (s.maxVisits() != null) {
      line(field + "max_visits: " + s.maxVisits());
    }
    if (s.next() != null && !(s.next() instanceof Flow.ToStep to && to.id().equals(following))) {
      line(field + "next: " + flow(s.next()));
    }
    if (s.yes() != null) {
      line(field + "yes: " + flow(s.yes()));
    }
    if (s.no() != null) {
      line(field + "no: " + flow(s.no()));
    }
  }

  private void kind(StepDraft.Kind kind, String field, int depth) {
    if (kind instanceof StepDraft.Kind.Manual m) {
      line(field + "manual: " + YamlScalars.value(m.text(), depth));
    } else if (kind instanceof StepDraft.Kind.Ask a) {
      line(field + "ask: " + YamlScalars.value(a.question(), depth));
    } else if (kind instanceof StepDraft.Kind.Shell sh) {
      line(field + "on: " + sh.target());
      line(field + "shell: " + YamlScalars.value(sh.command(), depth));
      line(field + "changes: " + sh.changes());
    } else if (kind instanceof StepDraft.Kind.Sleep sl) {
      line(field + "sleep: " + YamlScalars.inline(sl.duration()));
    } else if (kind instanceof StepDraft.Kind.Call c) {
      line(field + "call: " + c.procedure());
      if (!c.with().isEmpty()) {
        List<String> with = new ArrayList<>();
        for (Map.Entry<String, String> e : c.with().entrySet()) {
          with.add(e.getKey() + ": " + YamlScalars.inline(e.getValue()));
        }
        line(field + "with: {" + String.join(", ", with) + "}");
      }
    } else if (kind instanceof StepDraft.Kind.End e) {
      line(field + "end: " + e.outcome());
      if (e.message() != null) {
        line(field + "message: " + YamlScalars.value(e.message(), depth));
      }
    } else if (kind instanceof StepDraft.Kind.Return r) {
      line(field + "return: " + (r.value() ? "yes" : "no"));
    }
  }

  private static String flow(Flow flow) {
    if (flow instanceof Flow.ToStep to) {
      return to.id();
    }
    if (flow instanceof Flow.End end) {
      return end.message() == null
          ? "{end: " + end.outcome() + "}"
          : "{end: " + end.outcome() + ", message: " + YamlScalars.quoted(end.message()) + "}";
    }
    if (flow instanceof Flow.Return r) {
      return "{return: " + (r.value() ? "yes" : "no") + "}";
    }
    throw new IllegalStateException("unresolved flow " + flow);
  }

  private void comment(String indent, String text) {
    for (String line : text.split("\n")) {
      line(indent + "# " + line.strip());
    }
  }

  private void line(String text) {
    out.append(text.stripTrailing()).append('\n');
  }
}
