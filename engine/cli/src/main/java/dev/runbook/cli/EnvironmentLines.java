package dev.runbook.cli;

import dev.runbook.api.Secret;
import dev.runbook.api.ShellQuoting;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Prints the values a shell line receives as environment variables, one {@code NAME=value} a line
 * under the command, the value quoted as a shell would need it ({@code '/opt/Big Data'}); a masked
 * secret and a dry-run placeholder ({@code <params.X>}) are shown as they are.
 */
final class EnvironmentLines {

  private EnvironmentLines() {}

  static void print(PrintWriter out, String indent, Map<String, String> environment) {
    if (environment == null) {
      return;
    }
    environment.forEach((name, value) -> out.println(indent + name + "=" + shown(value)));
  }

  static String shown(String value) {
    if (value.equals(Secret.MASK) || (value.startsWith("<") && value.endsWith(">"))) {
      return value;
    }
    return ShellQuoting.quote(value);
  }
}
