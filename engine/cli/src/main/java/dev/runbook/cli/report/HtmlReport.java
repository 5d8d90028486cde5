package dev.runbook.cli.report;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * A run as one self-contained HTML page: inline CSS and SVG, no script, no network, readable with
 * JavaScript off; long outputs folded in {@code <details>}. Every value from the trail is escaped.
 */
public final class HtmlReport {

  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  /** How much of a step's whole output the page holds (the file has it all). */
  static final int OUTPUT_LIMIT = 256 * 1024;

  private static final String CSS =
      """
      :root{color-scheme:light}
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f6f7f9;color:#1f2328}
      main{max-width:1180px;margin:0 auto;padding:24px 28px 60px}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:30px 0 10px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
      .sub{color:#57606a;margin:0 0 16px}
      .verdict{border-radius:8px;padding:12px 16px;margin:14px 0;font-weight:600}
      .verdict.ok{background:#dafbe1;border:1px solid #2da44e}.verdict.bad{background:#ffebe9;border:2px solid #cf222e;color:#82071e}
      .verdict.warn{background:#fff8c5;border:1px solid #bf8700}
      .verdict ul{margin:6px 0 0;font-weight:400}
      table.facts{border-collapse:collapse;background:#fff;border:1px solid #d0d7de;border-radius:6px;width:100%}
      table.facts th{text-align:left;width:190px;color:#57606a;font-weight:500;vertical-align:top}
      table.facts th,table.facts td{padding:5px 10px;border-bottom:1px solid #eaeef2}
      code,pre{font:13px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
      pre{background:#0d1117;color:#e6edf3;padding:10px 12px;border-radius:6px;white-space:pre-wrap;word-break:break-all;margin:6px 0}
      pre.cmd{background:#f6f8fa;color:#1f2328;border:1px solid #d0d7de}
      .ctl{background:#ffd8b5;color:#7a2e00;border-radius:3px;padding:0 2px;font-weight:700}
      .graphbox{background:#fff;border:1px solid #d0d7de;border-radius:6px;overflow-x:auto;padding:8px}
      svg.graph .n rect,svg.graph .n polygon{fill:#fff;stroke:#8c959f;stroke-width:1.2}
      svg.graph .n.visited rect,svg.graph .n.visited polygon{fill:#ddf4ff;stroke:#1a56db;stroke-width:2.4}
      svg.graph .n.failed rect,svg.graph .n.failed polygon{fill:#ffebe9;stroke:#cf222e;stroke-width:2.4}
      svg.graph .n.waiting rect,svg.graph .n.waiting polygon{fill:#fff8c5;stroke:#bf8700;stroke-width:2.4}
      svg.graph .nl{font:12px ui-monospace,"DejaVu Sans Mono",monospace;fill:#57606a}svg.graph .nl.b{font-weight:700;fill:#1f2328}
      svg.graph .e{fill:none;stroke:#afb8c1;stroke-width:1.2}svg.graph .e.call{stroke-dasharray:5 4}
      svg.graph .e.taken{stroke:#1a56db;stroke-width:3}
      svg.graph .el{font:11px system-ui,sans-serif;fill:#57606a;paint-order:stroke;stroke:#fff;stroke-width:3px}svg.graph .el.taken{fill:#1a56db;font-weight:700}
      svg.graph .g-title{font:600 13px system-ui,sans-serif;fill:#57606a}
      .step{background:#fff;border:1px solid #d0d7de;border-left:5px solid #8c959f;border-radius:6px;margin:10px 0;padding:10px 14px}
      .step.succeeded{border-left-color:#2da44e}.step.failed{border-left-color:#cf222e}.step.skipped{border-left-color:#bf8700}
      .step h3{font-size:15px;margin:0;display:flex;gap:10px;flex-wrap:wrap;align-items:baseline}
      .ref{background:#eaeef2;border-radius:4px;padding:0 6px;font-weight:600}.t{color:#57606a;font-weight:400;font-family:ui-monospace,monospace;font-size:13px}
      .badge{border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600;background:#eaeef2}
      .badge.succeeded,.badge.resolved{background:#dafbe1;color:#116329}.badge.failed{background:#ffebe9;color:#a40e26}
      .badge.escalated,.badge.paused,.badge.skipped,.badge.waiting{background:#fff8c5;color:#7d4e00}
      .step.waiting{border-left-color:#bf8700}.step.end{border-left-color:#57606a}
      .meta{color:#57606a;font-size:13px;margin:4px 0}
      .decision,.answer,.failure{border-radius:6px;padding:6px 10px;margin:6px 0}
      .decision{background:#f1f8ff;border:1px solid #b6d7ff}.answer{background:#fbefff;border:1px solid #e2c5f5}.failure{background:#ffebe9;border:1px solid #ff8182}
      .moment{margin:10px 0;padding:8px 14px;border-radius:6px;background:#fff8c5;border:1px solid #d4a72c}
      .moment.finished{background:#eaeef2;border-color:#8c959f}
      details summary{cursor:pointer;color:#0969da;font-size:13px}
      .warn-note{background:#fff1e5;border:1px solid #fb8f44;border-radius:6px;padding:6px 10px;margin:6px 0;font-size:13px}
      footer{color:#57606a;font-size:12px;margin-top:30px}
      """;

  private final RunRecord record;
  private final Runbook runbook;
  private final StringBuilder html = new StringBuilder(64 * 1024);

  private HtmlReport(RunRecord record, Runbook runbook) {
    this.record = record;
    this.runbook = runbook;
  }

  /**
   * The page.
   *
   * @param runbook the runbook as it was when the run started (same content hash), or null: then
   *     the graph shows only the steps the run took
   */
  public static String render(RunRecord record, Runbook runbook) {
    return new HtmlReport(record, runbook).page();
  }

  private String page() {
    String id = record.dir.runId();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
        .append(" style-src 'unsafe-inline'; img-src data:\">\n")
        .append("<title>Run ")
        .append(Html.escape(id))
        .append(record.start == null ? "" : " · " + Html.escape(record.start.runbook()))
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style></head><body><main>\n");
    header();
    graph();
    timeline();
    html.append("<footer>Generated by runbook from ")
        .append(Html.escape(record.dir.path().toString()))
        .append(". Check it again with <code>runbook audit verify ")
        .append(Html.escape(id))
        .append("</code>.</footer>\n</main></body></html>\n");
    return html.toString();
  }

  private void header() {
    AuditEvent.RunStarted s = record.start;
    html.append("<h1>")
        .append(
            s == null
                ? "Run " + Html.escape(record.dir.runId())
                : Html.escape(s.runbook()) + " · " + Html.escape(s.title()))
        .append(" <span class=\"badge ")
        .append(Html.escape(record.status))
        .append("\">")
        .append(Html.escape(record.status))
        .append("</span></h1>\n<p class=\"sub\">Run <code>")
        .append(Html.escape(record.dir.runId()))
        .append("</code></p>\n");
    verdict();
    html.append("<table class=\"facts\">\n");
    if (s != null) {
      row("Runbook", code(s.runbook()) + " — " + Html.escape(s.title()));
      row("Alarms", Html.escape(String.join(", ", s.alarms() == null ? List.of() : s.alarms())));
      String trigger = record.startField("trigger");
      if (trigger != null) {
        row("Trigger", Html.escape(trigger));
      }
      if (runbook != null && runbook.source() != null) {
        row("Source document", Html.escape(sourceText(runbook.source())));
      }
      row(
          "Runbook file",
          code(s.file()) + " <span class=\"t\">sha256 " + Html.escape(s.contentHash()) + "</span>");
      StringBuilder params = new StringBuilder();
      if (s.params() != null) {
        for (Map.Entry<String, String> p : s.params().entrySet()) {
          params.append(code(p.getKey() + " = " + p.getValue())).append("<br>");
        }
      }
      row("Parameters", params.length() == 0 ? "none" : params.toString());
      String osUser = firstField("osUser", "osuser", "user");
      row(
          "Run by",
          Html.escape(s.operator())
              + (osUser == null
                  ? " <span class=\"t\">(the operator name claimed; the OS user is not recorded by this engine version)</span>"
                  : " <span class=\"t\">(OS user " + Html.escape(osUser) + ")</span>"));
      row(
          "Machine",
          Html.escape(s.machine())
              + " <span class=\"t\">runbook "
              + Html.escape(s.engineVersion())
              + "</span>");
      if (s.lock() != null) {
        row("Lock", code(s.lock()));
      }
    }
    row("Started", record.startedAt == null ? "?" : Html.escape(TIME.format(record.startedAt)));
    row(
        "Ended",
        record.finishedAt == null ? "not ended" : Html.escape(TIME.format(record.finishedAt)));
    Duration duration = record.duration();
    row("Duration", duration == null ? "—" : Html.escape(duration(duration)));
    row(
        "Outcome",
        record.finish == null
            ? Html.escape(record.status)
            : "<span class=\"badge "
                + Html.escape(record.finish.outcome())
                + "\">"
                + Html.escape(record.finish.outcome())
                + "</span> "
                + Html.escape(record.finish.message()));
    AuditVerifier.Report v = record.verification;
    row(
        "Verification",
        Html.escape(v.verdict().name())
            + " — chain and head of "
            + v.lines()
            + " lines; signature: "
            + Html.escape(v.signature().state())
            + (v.signature().key() == null
                ? ""
                : " (key "
                    + code(v.signature().key())
                    + ", line "
                    + v.signature().signedSeq()
                    + ")"));
    html.append("</table>\n");
  }

  private String firstField(String... names) {
    for (String name : names) {
      String value = record.startField(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private void verdict() {
    AuditVerifier.Report v = record.verification;
    String cls =
        switch (v.verdict()) {
          case OK -> "ok";
          case ALTERED -> "bad";
          default -> "warn";
        };
    String headline =
        switch (v.verdict()) {
          case OK ->
              "Verified: the trail is whole and unedited"
                  + (v.signature().state().equals("valid")
                      ? ", and signed by a trusted key"
                      : v.signature().state().equals("not checked")
                          ? " (signature not checked: no trusted key given)"
                          : " (not signed)");
          case ALTERED -> "ALTERED: this trail is not what the engine wrote. Do not rely on it.";
          case UNSIGNED -> "UNSIGNED: the trail carries no signature, though keys were given.";
          case TORN -> "TORN: the trail's end was interrupted (a crash or power loss).";
        };
    html.append("<div class=\"verdict ").append(cls).append("\">").append(Html.escape(headline));
    if (!v.findings().isEmpty()) {
      html.append("<ul>");
      v.findings().forEach(f -> html.append("<li>").append(Html.escape(f)).append("</li>"));
      html.append("</ul>");
    }
    html.append("</div>\n");
  }

  private void graph() {
    html.append("<h2>Step graph</h2>\n");
    if (runbook == null) {
      html.append(
          "<p class=\"meta\">The runbook file is not as it was when this run started (or is"
              + " gone), so only the steps this run took are drawn.</p>\n");
    } else {
      html.append(
          "<p class=\"meta\">Every step of the runbook; the path this run took is drawn in"
              + " blue, a failed step in red, the step a paused run waits at in yellow.</p>\n");
    }
    html.append("<div class=\"graphbox\">")
        .append(GraphSvg.render(runbook, record))
        .append("</div>\n");
  }

  private void timeline() {
    html.append("<h2>Timeline</h2>\n");
    for (RunRecord.Entry entry : record.entries) {
      if (entry instanceof RunRecord.StepEntry step) {
        step(step);
      } else if (entry instanceof RunRecord.Moment m) {
        html.append("<div class=\"moment\"><span class=\"t\">")
            .append(m.time() == null ? "" : Html.escape(CLOCK.format(m.time())))
            .append("</span> <b>")
            .append(Html.escape(m.kind().toUpperCase(java.util.Locale.ROOT)))
            .append("</b> ")
            .append(Html.escape(m.text()))
            .append("</div>\n");
      }
    }
    if (record.finish != null) {
      html.append("<div class=\"moment finished\"><span class=\"t\">")
          .append(record.finishedAt == null ? "" : Html.escape(CLOCK.format(record.finishedAt)))
          .append("</span> <b>")
          .append(Html.escape(record.finish.outcome().toUpperCase(java.util.Locale.ROOT)))
          .append("</b> ")
          .append(Html.escape(record.finish.message()))
          .append("</div>\n");
    }
    if (record.partialLine) {
      html.append(
          "<div class=\"moment\">The last line is cut off: the run stopped while writing it.</div>\n");
    }
  }

  private void step(RunRecord.StepEntry step) {
    AuditEvent.StepStarted s = step.started;
    AuditEvent.StepFinished f = step.finished;
    String status = record.stateOf(step);
    html.append("<section class=\"step ").append(Html.escape(status)).append("\">\n<h3>");
    html.append("<span class=\"t\">")
        .append(step.startedAt == null ? "" : Html.escape(CLOCK.format(step.startedAt)))
        .append("</span>");
    if (s != null && s.ref() != null) {
      html.append("<span class=\"ref\" title=\"the document's step\">")
          .append(Html.escape(s.ref()))
          .append("</span>");
    }
    html.append("<span>").append(Html.escape(step.path)).append("</span>");
    if (s != null && s.title() != null) {
      html.append("<span class=\"t\">").append(Html.escape(s.title())).append("</span>");
    }
    html.append("<span class=\"badge ")
        .append(Html.escape(status))
        .append("\">")
        .append(Html.escape(status))
        .append("</span>");
    html.append("</h3>\n<div class=\"meta\">");
    if (s != null) {
      html.append(Html.escape(s.kind()));
      if (s.attempt() > 1) {
        html.append(" · attempt ").append(s.attempt());
      }
      if (s.target() != null) {
        html.append(" · target ").append(code(s.target()));
      }
    }
    if (f != null) {
      html.append(" · ").append(f.durationMs()).append(" ms");
      if (f.exitCode() != null) {
        html.append(" · exit ").append(f.exitCode());
      }
      if (f.value() != null) {
        html.append(" · value <b>").append(f.value() ? "yes" : "no").append("</b>");
      }
      if (f.ranOn() != null) {
        html.append(" · ran on ").append(code(f.ranOn()));
      }
    }
    if (step.waits > 0 && step.lastWait != null) {
      html.append(" · waited ")
          .append(step.waits)
          .append(step.waits == 1 ? " time" : " times")
          .append(", ")
          .append(Html.escape(duration(Duration.ofMillis(step.lastWait.elapsedMs()))))
          .append(" of ")
          .append(Html.escape(duration(Duration.ofMillis(step.lastWait.totalMs()))))
          .append(
              step.lastWait.attempt() == null ? "" : " (attempt " + step.lastWait.attempt() + ")");
    }
    html.append("</div>\n");
    for (AuditEvent.CommandRendered c : step.commands) {
      html.append("<pre class=\"cmd\">$ ").append(Html.escape(c.command())).append("</pre>");
      if (c.changes()) {
        html.append("<div class=\"meta\">marked as changing the system</div>");
      }
      html.append('\n');
    }
    for (AuditEvent.Decision d : step.decisions) {
      html.append("<div class=\"decision\">Decided <code>")
          .append(Html.escape(d.expression()))
          .append("</code> = <b>")
          .append(d.value())
          .append("</b> → <b>")
          .append(Html.escape(d.branch()))
          .append("</b>");
      if (d.values() != null && !d.values().isEmpty()) {
        html.append("<br><span class=\"meta\">because</span> ");
        d.values().forEach((k, val) -> html.append(code(k + " = " + val)).append(' '));
      }
      html.append("</div>\n");
    }
    for (RunRecord.Answer a : step.answers) {
      AuditEvent.Answered answered = a.answered();
      html.append("<div class=\"answer\"><b>")
          .append(Html.escape(answered.operator()))
          .append("</b> answered <b>")
          .append(Html.escape(answered.answer()))
          .append("</b> via ")
          .append(Html.escape(answered.via()))
          .append(a.time() == null ? "" : " at " + Html.escape(CLOCK.format(a.time())))
          .append("<br><span class=\"meta\">")
          .append(Html.escape(answered.question()))
          .append("</span>");
      String note = a.note();
      if (note != null) {
        html.append("<br>note: ").append(Html.escape(note));
      }
      html.append("</div>\n");
    }
    if (f != null && f.failureKind() != null) {
      html.append("<div class=\"failure\"><b>")
          .append(Html.escape(f.failureKind()))
          .append("</b>: ")
          .append(Html.escape(f.message()))
          .append("</div>\n");
    } else if (f != null && f.message() != null) {
      html.append("<div class=\"meta\">").append(Html.escape(f.message())).append("</div>\n");
    }
    if (f != null && f.output() != null) {
      output(f.output());
    }
    html.append("</section>\n");
  }

  private void output(AuditEvent.OutputRecord output) {
    html.append("<div class=\"meta\">output: ")
        .append(output.bytes())
        .append(" bytes in ")
        .append(code(output.file()))
        .append(", last lines:</div>\n<pre class=\"out\">")
        .append(Html.escape(output.tail()))
        .append("</pre>\n");
    String whole = wholeOutput(output);
    long hidden = controls(whole == null ? output.tail() : whole);
    if (hidden > 0) {
      html.append("<div class=\"warn-note\">This output holds ")
          .append(hidden)
          .append(
              hidden == 1
                  ? " terminal control or invisible character"
                  : " terminal control or invisible characters")
          .append(" (a screen clear, a window title, a bidi override …): each is shown as an")
          .append(" escape such as <span class=\"ctl\">\\x1b</span>, never interpreted.")
          .append(" The output file keeps the bytes as they were printed.</div>\n");
    }
    if (whole != null) {
      // Opened at once when it holds what a terminal would have hidden: a reviewer must see it.
      html.append(hidden > 0 ? "<details open>" : "<details>")
          .append("<summary>the whole output (")
          .append(output.bytes())
          .append(" bytes)</summary><pre class=\"out\">")
          .append(Html.escape(whole))
          .append("</pre></details>\n");
    }
  }

  /** The output file's text when it holds more than its tail, cut at {@link #OUTPUT_LIMIT}. */
  private String wholeOutput(AuditEvent.OutputRecord output) {
    Path file = record.dir.path().resolve(output.file()).normalize();
    if (!file.startsWith(record.dir.path())) {
      return null;
    }
    try {
      byte[] bytes = dev.runbook.engine.audit.TrailFiles.read(file);
      String text =
          new String(bytes, 0, Math.min(bytes.length, OUTPUT_LIMIT), StandardCharsets.UTF_8);
      if (text.strip().equals(output.tail() == null ? "" : output.tail().strip())) {
        return null;
      }
      return bytes.length > OUTPUT_LIMIT
          ? text + "\n… (" + (bytes.length - OUTPUT_LIMIT) + " more bytes in the file)"
          : text;
    } catch (IOException e) {
      return "(the output file cannot be read: " + e.getMessage() + ")";
    }
  }

  private static long controls(String text) {
    return text == null ? 0 : text.codePoints().filter(dev.runbook.cli.Visible::mustEscape).count();
  }

  private void row(String name, String valueHtml) {
    html.append("<tr><th>")
        .append(Html.escape(name))
        .append("</th><td>")
        .append(valueHtml)
        .append("</td></tr>\n");
  }

  private static String code(String text) {
    return "<code>" + Html.escape(text) + "</code>";
  }

  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    long s = d.toSeconds();
    return s < 60
        ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0)
        : (s / 60) + " min " + (s % 60) + " s";
  }

  static String sourceText(dev.runbook.engine.model.Source source) {
    StringBuilder text = new StringBuilder(source.document() == null ? "" : source.document());
    if (source.section() != null) {
      text.append(", ").append(source.section());
    }
    if (source.applies() != null) {
      text.append(" (").append(source.applies()).append(')');
    }
    if (source.url() != null) {
      text.append(" — ").append(source.url());
    }
    return text.toString();
  }
}
