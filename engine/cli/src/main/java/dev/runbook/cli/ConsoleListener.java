package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.execute.RunListener;
import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.Collectors;

/** Shows a run as it happens: each step, its command and output, each decision and answer. */
final class ConsoleListener implements RunListener {

  private final PrintWriter out;
  private final boolean verbose;

  /** The step the last printed line was about; parallel steps interleave, so lines say which. */
  private String current;

  ConsoleListener(PrintWriter out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  @Override
  public synchronized void event(AuditEvent event) {
    if (event instanceof AuditEvent.StepStarted s) {
      current = s.step();
    } else if (!(event instanceof AuditEvent.StepFinished f && quiet(f))) {
      label(stepOf(event));
    }
    if (event instanceof AuditEvent.RunStarted s) {
      out.println("RUN " + s.runId() + "  " + s.runbook() + " · " + s.title());
      out.println(
          "params "
              + s.params().entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining("  ")));
    } else if (event instanceof AuditEvent.Resumed r) {
      out.println(
          "RESUMED by "
              + r.operator()
              + (r.inDoubt().isEmpty()
                  ? ""
                  : "; cut off when it stopped: " + String.join(", ", r.inDoubt())));
    } else if (event instanceof AuditEvent.StepStarted s) {
      String ref = s.ref() == null ? "" : "[" + s.ref() + "] ";
      String retry = s.attempt() > 1 ? "  (attempt " + s.attempt() + ")" : "";
      out.println(
          ref
              + s.step()
              + (s.title() == null ? "" : "  " + s.title())
              + (s.target() == null ? "" : "  on " + s.target())
              + retry);
    } else if (event instanceof AuditEvent.CommandRendered c) {
      out.println("    $ " + c.command());
    } else if (event instanceof AuditEvent.Decision d) {
      out.println(
          "    if "
              + d.expression()
              + "  → "
              + (d.value() ? "yes" : "no")
              + " → "
              + d.branch()
              + values(d.values()));
    } else if (event instanceof AuditEvent.Answered a) {
      out.println("    answer: " + a.answer() + " (" + a.via() + ", " + a.operator() + ")");
    } else if (event instanceof AuditEvent.StepFinished f) {
      if ("failed".equals(f.status())) {
        out.println("    ✗ failed (" + f.failureKind() + "): " + f.message());
      } else if (!quiet(f)) {
        out.println(
            "    ✓ "
                + (f.exitCode() == null ? "done" : "exit " + f.exitCode())
                + " in "
                + f.durationMs()
                + " ms");
      }
    } else if (event instanceof AuditEvent.Paused p) {
      out.println("PAUSED at " + p.step() + ": " + p.reason());
      out.println("    " + p.question().strip().replace("\n", "\n    "));
    } else if (event instanceof AuditEvent.RunFinished f) {
      out.println(
          f.outcome().toUpperCase(java.util.Locale.ROOT)
              + (f.message() == null ? "" : ": " + f.message()));
    }
    out.flush();
  }

  private static String values(Map<String, Object> values) {
    if (values == null || values.isEmpty()) {
      return "";
    }
    String text = values.toString();
    return "   (read " + (text.length() > 160 ? text.substring(0, 160) + "…" : text) + ")";
  }

  private boolean quiet(AuditEvent.StepFinished f) {
    return !verbose && f.exitCode() == null && !"failed".equals(f.status());
  }

  private void label(String step) {
    if (step != null && !step.equals(current)) {
      current = step;
      out.println("  ↳ " + step);
    }
  }

  static String stepOf(AuditEvent event) {
    if (event instanceof AuditEvent.CommandRendered c) {
      return c.step();
    }
    if (event instanceof AuditEvent.Decision d) {
      return d.step();
    }
    if (event instanceof AuditEvent.Answered a) {
      return a.step();
    }
    if (event instanceof AuditEvent.StepFinished f) {
      return f.step();
    }
    if (event instanceof AuditEvent.WaitProgress w) {
      return w.step();
    }
    return null;
  }

  @Override
  public synchronized void output(String step, boolean stderr, String line) {
    label(step);
    out.println("    │ " + (stderr ? "! " : "") + line);
    out.flush();
  }

  @Override
  public synchronized void progress(String step, String text) {
    label(step);
    out.println("    … " + text);
    out.flush();
  }
}
