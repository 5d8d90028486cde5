package dev.runbook.cli;

import dev.runbook.engine.RunListener;
import dev.runbook.engine.audit.AuditEvent;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Shows a run as it happens: each step, its command and output, each decision and answer. Text from
 * the run is escaped before it is shown ({@link TerminalText}); symbols fall back to ASCII where
 * the locale cannot print them ({@link Glyphs}). On a terminal, lines are cut to its width (the
 * trail and the output files keep every byte) and a wait or a poll is one line that updates in
 * place; in a pipe or a file every progress line is printed.
 */
final class ConsoleListener implements RunListener {

  private final PrintWriter out;
  private final boolean verbose;
  private final Glyphs glyphs;

  /** The width to cut lines to, or 0 for none. */
  private final int width;

  /** Whether progress may overwrite itself ({@code \r}): only on a terminal. */
  private final boolean inPlace;

  /** The step the last printed line was about; parallel steps interleave, so lines say which. */
  private String current;

  /** Whether the last thing printed is a progress line still open for overwriting. */
  private boolean progressOpen;

  private final Map<String, String> kinds = new HashMap<>();

  ConsoleListener(PrintWriter out, boolean verbose, Glyphs glyphs, int width, boolean inPlace) {
    this.out = out;
    this.verbose = verbose;
    this.glyphs = glyphs;
    this.width = width;
    this.inPlace = inPlace;
  }

  /** For standard output: a terminal's width and in-place progress when it is one. */
  static ConsoleListener forTerminal(PrintWriter out) {
    boolean terminal = Tty.stdoutIsTerminal();
    return new ConsoleListener(
        out, Verbosity.on(), Glyphs.forConsole(), terminal ? Tty.width() : 0, terminal);
  }

  @Override
  public synchronized void event(AuditEvent event) {
    if (event instanceof AuditEvent.StepStarted s) {
      current = s.step();
      kinds.put(s.step(), s.kind());
    } else if (!(event instanceof AuditEvent.StepFinished f && quiet(f))) {
      label(stepOf(event));
    }
    if (event instanceof AuditEvent.RunStarted s) {
      line("RUN " + s.runId() + "  " + s.runbook() + " · " + s.title());
      if (!s.params().isEmpty()) {
        line(
            "params "
                + s.params().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("  ")));
      }
    } else if (event instanceof AuditEvent.Resumed r) {
      line(
          "RESUMED by "
              + r.operator()
              + (r.retry() == null ? "" : "; running the failed step " + r.retry() + " again")
              + (r.inDoubt().isEmpty()
                  ? ""
                  : "; cut off when it stopped: " + String.join(", ", r.inDoubt())));
    } else if (event instanceof AuditEvent.StepStarted s) {
      String ref = s.ref() == null ? "" : "[" + s.ref() + "] ";
      String retry = s.attempt() > 1 ? "  (attempt " + s.attempt() + ")" : "";
      line(
          ref
              + s.step()
              + (s.title() == null ? "" : "  " + s.title())
              + (s.target() == null ? "" : "  on " + s.target())
              + retry);
    } else if (event instanceof AuditEvent.CommandRendered c) {
      for (String commandLine : c.command().split("\n", -1)) {
        line("    $ " + commandLine);
      }
      if (c.environment() != null) {
        c.environment()
            .forEach((name, value) -> line("      " + name + "=" + EnvironmentLines.shown(value)));
      }
    } else if (event instanceof AuditEvent.Decision d) {
      line(
          (d.chosen() == null ? "    if " : "    switch ")
              + d.expression()
              + "  "
              + glyphs.arrow()
              + " "
              + (d.chosen() == null ? (d.value() ? "yes" : "no") : d.shown())
              + " "
              + glyphs.arrow()
              + " "
              + d.branch()
              + values(d.values()));
    } else if (event instanceof AuditEvent.Answered a) {
      line(
          "    answer: "
              + a.answer()
              + " ("
              + a.via()
              + ", "
              + a.operator()
              + ")"
              + (a.note() == null ? "" : "  note: " + a.note()));
    } else if (event instanceof AuditEvent.StepFinished f) {
      if (f.failed()) {
        line("    " + glyphs.cross() + " failed (" + f.failureKind() + "): " + failure(f));
      } else if (!quiet(f)) {
        line(
            "    "
                + glyphs.check()
                + " "
                + (f.exitCode() == null ? "done" : "exit " + f.exitCode())
                + " in "
                + f.durationMs()
                + " ms");
      }
    } else if (event instanceof AuditEvent.Paused p) {
      line("PAUSED at " + p.step() + ": " + p.reason());
      for (String text : p.question().strip().split("\n")) {
        line("    " + text);
      }
    } else if (event instanceof AuditEvent.RunFinished f) {
      line(
          f.outcome().label().toUpperCase(Locale.ROOT)
              + (f.message() == null ? "" : ": " + withoutItemMessages(f.message())));
    }
    out.flush();
  }

  /**
   * A fan-out's failure names each failed item, which the items' own lines above already said: only
   * the count is printed again (the trail keeps the whole message).
   */
  private String failure(AuditEvent.StepFinished f) {
    String message = f.message() == null ? "" : f.message();
    if ("fan-out".equals(kinds.get(f.step())) && message.contains(" items failed: ")) {
      return message.substring(0, message.indexOf(": "))
          + " (each said so above; the trail has them all)";
    }
    return message;
  }

  /**
   * A run that ends on a failed fan-out repeats the fan-out's message: its items' messages were
   * each printed once already, on their own lines, so only the count is said again.
   */
  private static String withoutItemMessages(String message) {
    int at = message.indexOf(" items failed: ");
    return at < 0
        ? message
        : message.substring(0, at) + " items failed (each said so above; the trail has them all)";
  }

  private String values(Map<String, Object> values) {
    if (values == null || values.isEmpty()) {
      return "";
    }
    String text = values.toString();
    return "   (read "
        + (text.length() > 160 ? text.substring(0, 160) + glyphs.ellipsis() : text)
        + ")";
  }

  private boolean quiet(AuditEvent.StepFinished f) {
    return !verbose && f.exitCode() == null && !f.failed();
  }

  private void label(String step) {
    if (step != null && !step.equals(current)) {
      current = step;
      line("  " + glyphs.into() + " " + step);
    }
  }

  /** {@code poll@1#3}: the third attempt of a poll step. */
  private boolean isRepeatedPollAttempt(String step) {
    int hash = step.lastIndexOf('#');
    return hash > 0 && "poll".equals(kinds.get(step.substring(0, hash)));
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
    if (inPlace && isRepeatedPollAttempt(step)) {
      return; // on a terminal a poll is its progress line; every attempt's output is in the trail
    }
    label(step);
    line("    " + glyphs.bar() + " " + (stderr ? "! " : "") + line);
    out.flush();
  }

  @Override
  public synchronized void progress(String step, String text) {
    label(step);
    String shown = fit("    " + glyphs.ellipsis() + " " + Visible.text(text));
    if (inPlace) {
      out.print("\r" + shown + "\u001b[K");
      progressOpen = true;
    } else {
      out.println(shown);
    }
    out.flush();
  }

  /** Prints one line of the run, escaped and cut to the terminal's width. */
  private void line(String text) {
    if (progressOpen) {
      out.println();
      progressOpen = false;
    }
    out.println(fit(Visible.text(text)));
  }

  private String fit(String text) {
    if (width <= 0 || text.length() <= width) {
      return text;
    }
    return text.substring(0, Math.max(0, width - glyphs.ellipsis().length())) + glyphs.ellipsis();
  }
}
