package dev.runbook.cli;

import picocli.CommandLine.Option;

/** {@code --output text|json}, the same option on every command a script may read. */
final class OutputFormat {

  @Option(
      names = "--output",
      paramLabel = "text|json",
      description = "Output format: text (default) for people, json for scripts.")
  BaseCommand.Format format = BaseCommand.Format.TEXT;

  boolean json() {
    return format == BaseCommand.Format.JSON;
  }
}
