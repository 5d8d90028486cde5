package dev.runbook.importer.document;

import java.util.List;

/**
 * A command a sentence names: "Run the **df -h** command", "Go to the **${BIGDATA_HOME}/x**
 * directory".
 *
 * @param command the command line, placeholders shown as {@code <…>}
 * @param kind a command to run, or a directory to go to (a {@code cd})
 * @param placeholders what the reader must fill in ("NIC name"); empty when nothing
 */
public record CommandSpan(String command, Kind kind, List<String> placeholders) {

  public CommandSpan {
    placeholders = List.copyOf(placeholders);
  }

  /** The kinds of command span. */
  public enum Kind {
    RUN,
    CHANGE_DIRECTORY
  }
}
