package dev.runbook.cli.report;

import dev.runbook.cli.Visible;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.model.Runbook;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same report as Markdown, for pasting into a ticket: the facts as a table, each step with its
 * command, decisions, answers and the last lines of its output in fenced blocks. Invisible and
 * control characters are shown as escapes; markup characters in values are backslash-escaped.
 */
public final class MarkdownReport {

  private final StringBuilder md = new StringBuilder(16 * 1024);

  private MarkdownReport() {}

  public static String render(RunRecord record, Runbook runbook) {
    return new MarkdownReport().page(record, runbook);
  }

  private String page(RunRecord record, Runbook runbook) {
    this.record = record;
    AuditEvent.RunStarted s = record.start;
    md.append("# ")
        .append(
            s == null
                ? "Run " + text(record.dir.runId())
                : text(s.runbook()) + " · " + text(s.title()))
        .append(" — ")
        .append(text(record.status))
        .append("\n\nRun `")
        .append(code(record.dir.runId()))
        .append("`\n\n");
    AuditVerifier.Report v = record.verification;
    md.append("**Verification: ")
        .append(v.verdict())
        .append("** (")
        .append(v.lines())
        .append(" lines; signature: ")
        .append(text(v.signature().state()))
        .append(v.signature().key() == null ? "" : ", key `" + code(v.signature().key()) + "`")
        .append(")\n");
    for (String finding : v.findings()) {
      md.append("- ").append(text(finding)).append('\n');
    }
    md.append("\n| | |\n|---|---|\n");
    if (s != null) {
      row("Runbook", "`" + code(s.runbook()) + "` " + text(s.title()));
      row("Alarms", text(String.join(", ", s.alarms() == null ? List.of() : s.alarms())));
      if (runbook != null && runbook.source() != null) {
        row("Source document", text(HtmlReport.sourceText(runbook.source())));
      }
      row("Runbook file", "`" + code(s.file()) + "` sha256 `" + code(s.contentHash()) + "`");
      StringBuilder params = new StringBuilder();
      if (s.params() != null) {
        for (Map.Entry<String, String> p : s.params().entrySet()) {
          params.append('`').append(code(p.getKey() + "=" + p.getValue())).append("` ");
        }
      }
      row("Parameters", params.toString().strip());
      row("Run by", text(s.operator()) + " on " + text(s.machine()));
    }
    row("Started", record.startedAt == null ? "?" : HtmlReport.TIME.format(record.startedAt));
    row(
        "Ended",
        record.finishedAt == null ? "not ended" : HtmlReport.TIME.format(record.finishedAt));
    if (record.duration() != null) {
      row("Duration", HtmlReport.duration(record.duration()));
    }
    row(
        "Outcome",
        record.finish == null
            ? text(record.status)
            : "**" + text(record.finish.outcome().label()) + "** " + text(record.finish.message()));
    md.append("\n## Timeline\n\n");
    for (RunRecord.Entry entry : record.entries) {
      if (entry instanceof RunRecord.StepEntry step) {
        step(step);
      } else if (entry instanceof RunRecord.Moment m) {
        md.append("- ")
            .append(m.time() == null ? "" : HtmlReport.CLOCK.format(m.time()) + " ")
            .append("**")
            .append(m.kind().toUpperCase(Locale.ROOT))
            .append("** ")
            .append(text(m.text()))
            .append("\n\n");
      }
    }
    if (record.finish != null) {
      md.append("- ")
          .append(record.finishedAt == null ? "" : HtmlReport.CLOCK.format(record.finishedAt) + " ")
          .append("**")
          .append(record.finish.outcome().label().toUpperCase(Locale.ROOT))
          .append("** ")
          .append(text(record.finish.message()))
          .append('\n');
    }
    return md.toString();
  }

  private RunRecord record;

  private void step(RunRecord.StepEntry step) {
    AuditEvent.StepStarted s = step.started;
    AuditEvent.StepFinished f = step.finished;
    md.append("### ")
        .append(step.startedAt == null ? "" : HtmlReport.CLOCK.format(step.startedAt) + " ")
        .append(s != null && s.ref() != null ? "[" + text(s.ref()) + "] " : "")
        .append(text(step.path))
        .append(" — ")
        .append(text(record.stateOf(step)))
        .append("\n\n");
    StringBuilder meta = new StringBuilder();
    if (s != null) {
      meta.append(text(s.kind()));
      if (s.target() != null) {
        meta.append(", target `").append(code(s.target())).append('`');
      }
    }
    if (f != null) {
      meta.append(", ").append(f.durationMs()).append(" ms");
      if (f.exitCode() != null) {
        meta.append(", exit ").append(f.exitCode());
      }
      if (f.ranOn() != null) {
        meta.append(", ran on `").append(code(f.ranOn())).append('`');
      }
    }
    if (step.waits > 0) {
      meta.append(", waited ").append(step.waits).append(step.waits == 1 ? " time" : " times");
    }
    md.append(meta).append("\n\n");
    for (AuditEvent.CommandRendered c : step.commands) {
      fence("$ " + c.command());
    }
    for (AuditEvent.Decision d : step.decisions) {
      md.append("- decided `")
          .append(code(d.expression()))
          .append("` = **")
          .append(text(d.shown()))
          .append("** → **")
          .append(text(d.branch()))
          .append("**");
      if (d.values() != null && !d.values().isEmpty()) {
        md.append(" because ");
        d.values().forEach((k, val) -> md.append('`').append(code(k + " = " + val)).append("` "));
      }
      md.append('\n');
    }
    for (RunRecord.Answer a : step.answers) {
      md.append("- **")
          .append(text(a.answered().operator()))
          .append("** answered **")
          .append(text(a.answered().answer()))
          .append("** via ")
          .append(text(a.answered().via()))
          .append(": ")
          .append(text(a.answered().question()))
          .append(a.note() == null ? "" : " (note: " + text(a.note()) + ")")
          .append('\n');
    }
    if (f != null && f.failureKind() != null) {
      md.append("- failure **")
          .append(text(f.failureKind()))
          .append("**: ")
          .append(text(f.message()))
          .append('\n');
    }
    if (!step.decisions.isEmpty()
        || !step.answers.isEmpty()
        || (f != null && f.failureKind() != null)) {
      md.append('\n');
    }
    if (f != null && f.output() != null) {
      md.append("Output (")
          .append(f.output().bytes())
          .append(" bytes in `")
          .append(code(f.output().file()))
          .append("`), last lines:\n\n");
      fence(f.output().tail());
    }
  }

  private void fence(String content) {
    String shown = Visible.text(content == null ? "" : content);
    String fence = "```";
    while (shown.contains(fence)) {
      fence += "`";
    }
    md.append(fence).append('\n').append(shown).append('\n').append(fence).append("\n\n");
  }

  private void row(String name, String value) {
    md.append("| ").append(name).append(" | ").append(value.replace("\n", " ")).append(" |\n");
  }

  /** Inline text: invisible characters shown, Markdown and HTML markup escaped. */
  static String text(String value) {
    if (value == null) {
      return "";
    }
    String shown = Visible.text(value).replace("\n", " ");
    StringBuilder out = new StringBuilder(shown.length() + 8);
    for (char c : shown.toCharArray()) {
      if ("\\`*_[]<>|#!".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Text inside a code span: backticks cannot be escaped there, so they are replaced. */
  static String code(String value) {
    return value == null
        ? ""
        : Visible.text(value).replace('`', '\u02cb').replace("\n", " ").replace("|", "\\|");
  }
}
