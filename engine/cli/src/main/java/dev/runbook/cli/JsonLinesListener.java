package dev.runbook.cli;

import dev.runbook.engine.RunListener;
import dev.runbook.engine.audit.AuditEvent;
import java.io.PrintWriter;

/**
 * {@code run --output json}: the run as it happens, one JSON object a line, each exactly the line
 * the trail recorded ({@code seq}, {@code time}, {@code prev}, {@code type} and the event's
 * fields), so a script reads the same shape live as it later reads from {@code events.jsonl}.
 * Output lines and progress are not events: they are in the trail's {@code step.finished} and
 * output files.
 */
final class JsonLinesListener implements RunListener {

  private final PrintWriter out;

  JsonLinesListener(PrintWriter out) {
    this.out = out;
  }

  @Override
  public synchronized void recorded(AuditEvent event, String line) {
    out.println(line);
    out.flush();
  }
}
