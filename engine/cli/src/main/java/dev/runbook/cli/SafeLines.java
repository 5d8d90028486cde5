package dev.runbook.cli;

import java.io.PrintWriter;

/**
 * A writer for what a command prints from a run's record (a plan, a timeline): every string goes
 * through {@link Visible#text}, so text that came from a command's output or a parameter cannot
 * drive the terminal.
 */
final class SafeLines extends PrintWriter {

  SafeLines(PrintWriter out) {
    super(out, true);
  }

  @Override
  public void print(String text) {
    super.print(Visible.text(text));
  }

  @Override
  public void println(String text) {
    super.println(Visible.text(text));
  }
}
