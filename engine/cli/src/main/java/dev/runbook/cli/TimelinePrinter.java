package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A run's trail as a timeline a person reads after the fact. */
final class TimelinePrinter {

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final PrintWriter out;
  private final RunDirectory dir;

  /** Whether to end with the run's directory: not for one that is about to be deleted. */
  private final boolean showDirectory;

  private String current;

  TimelinePrinter(PrintWriter out, RunDirectory dir) {
    this(out, dir, true);
  }

  TimelinePrinter(PrintWriter out, RunDirectory dir, boolean showDirectory) {
    this.out = new SafeLines(out);
    this.dir = dir;
    this.showDirectory = showDirectory;
  }

  /** Every line shown with control and invisible characters as visible escapes, never replayed. */
  private void println(Object line) {
    out.println(Visible.text(String.valueOf(line)));
  }

  void print(AuditTrail trail, RunSummary summary) {
    println(
        "Run "
            + summary.runId()
            + "  "
            + summary.runbook()
            + " · "
            + summary.title()
            + "  ["
            + summary.status()
            + "]");
    for (AuditTrail.Line line : trail.lines()) {
      String time = line.time().map(CLOCK::format).orElse("--:--:--");
      AuditEvent event = line.event();
      if (event == null) {
        println(time + "  (line " + line.number() + " is not a readable event)");
        continue;
      }
      describe(time, event);
    }
    if (trail.hasPartialLine()) {
      println("          (the last line is cut off: the run stopped while writing it)");
    }
    if (showDirectory) {
      out.println("Directory: " + dir.path() + "   (runbook audit verify " + summary.runId() + ")");
    }
  }

  private void describe(String time, AuditEvent event) {
    String pad = "          ";
    String step = ConsoleListener.stepOf(event);
    if (event instanceof AuditEvent.StepStarted s) {
      current = s.step();
    } else if (step != null && !step.equals(current) && !(event instanceof AuditEvent.Answered)) {
      current = step;
      println(pad + "↳ " + step);
    }
    if (event instanceof AuditEvent.RunStarted s) {
      println(
          time
              + "  started by "
              + s.operator()
              + " on "
              + s.machine()
              + " (runbook "
              + s.engineVersion()
              + ")");
      println(pad + "file " + s.file() + " sha256 " + s.contentHash().substring(0, 12) + "…");
      if (!s.params().isEmpty()) {
        println(
            pad
                + "params "
                + s.params().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("  ")));
      }
      if (s.lock() != null) {
        println(pad + "lock " + s.lock());
      }
      if (s.trigger() != null) {
        AuditEvent.Trigger t = s.trigger();
        println(pad + "alert " + t.alarm() + " from " + t.source() + " (" + t.id() + ")");
        if (!t.labels().isEmpty()) {
          println(
              pad
                  + "labels "
                  + t.labels().entrySet().stream()
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .collect(Collectors.joining("  ")));
        }
      }
    } else if (event instanceof AuditEvent.StepStarted s) {
      String ref = s.ref() == null ? "" : "[" + s.ref() + "] ";
      println(
          time
              + "  "
              + ref
              + s.step()
              + " ("
              + s.kind()
              + ")"
              + (s.target() == null ? "" : " on " + s.target())
              + (s.attempt() > 1 ? ", attempt " + s.attempt() : ""));
    } else if (event instanceof AuditEvent.CommandRendered c) {
      out.println(pad + "$ " + c.command() + (c.changes() ? "   (changes the system)" : ""));
      EnvironmentLines.print(out, pad + "  ", c.environment());
    } else if (event instanceof AuditEvent.Decision d) {
      println(pad + "decided " + d.expression() + " = " + d.shown() + " → " + d.branch());
      if (d.values() != null && !d.values().isEmpty()) {
        println(pad + "  because " + values(d.values()));
      }
    } else if (event instanceof AuditEvent.Answered a && a.approval()) {
      println(
          time
              + "  "
              + a.operator()
              + (a.yes() ? " APPROVED" : " REFUSED")
              + " the run's first change, via "
              + a.via()
              + (a.note() == null ? "" : " (" + firstLine(a.note()) + ")"));
    } else if (event instanceof AuditEvent.Answered a) {
      println(
          time
              + "  "
              + a.operator()
              + " answered '"
              + a.answer()
              + "' via "
              + a.via()
              + ": "
              + firstLine(a.question()));
    } else if (event instanceof AuditEvent.StepFinished f) {
      StringBuilder line = new StringBuilder(pad).append(f.status());
      if (f.exitCode() != null) {
        line.append(", exit ").append(f.exitCode());
      }
      if (f.value() != null) {
        line.append(", ").append(f.value() ? "yes" : "no");
      }
      line.append(", ").append(f.durationMs()).append(" ms");
      if (f.ranOn() != null) {
        line.append(" on ").append(f.ranOn());
      }
      if (f.failureKind() != null) {
        line.append(" — ").append(f.failureKind()).append(": ").append(f.message());
      }
      println(line);
      if (f.output() != null) {
        println(
            pad
                + "output "
                + f.output().bytes()
                + " bytes in "
                + f.output().file()
                + ", last lines:");
        for (String tail : f.output().tail().split("\n")) {
          println(pad + "  │ " + tail);
        }
      }
    } else if (event instanceof AuditEvent.Paused p) {
      println(time + "  PAUSED at " + p.step() + ": " + p.reason());
    } else if (event instanceof AuditEvent.Resumed r) {
      println(
          time
              + "  resumed by "
              + r.operator()
              + " on "
              + r.machine()
              + (r.inDoubt().isEmpty() ? "" : "; cut off before: " + String.join(", ", r.inDoubt()))
              + (r.note() == null ? "" : "; " + r.note()));
    } else if (event instanceof AuditEvent.RunFinished f) {
      println(
          time
              + "  "
              + f.outcome().label().toUpperCase(Locale.ROOT)
              + (f.message() == null ? "" : ": " + f.message()));
    }
  }

  private static String values(Map<String, Object> values) {
    String text =
        values.entrySet().stream()
            .map(e -> e.getKey() + " = " + e.getValue())
            .collect(Collectors.joining(", "));
    return text.length() > 400 ? text.substring(0, 400) + "…" : text;
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline) + " …";
  }
}
