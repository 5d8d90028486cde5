package dev.runbook.plugins.ssh;

import dev.runbook.api.CommandSpec;
import dev.runbook.api.ShellQuoting;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line sent to sshd. The command runs in a new session ({@code setsid}) whose id it
 * reports first on stderr, so that a command past its timeout can be stopped on the remote side
 * with all its children ({@code kill -KILL -- -PID}), not merely abandoned by closing the channel.
 */
final class RemoteCommand {

  static final String PID_MARKER = "@@runbook-pid ";
  private static final Pattern PID_LINE = Pattern.compile(Pattern.quote(PID_MARKER) + "(\\d+)");

  private RemoteCommand() {}

  static String build(CommandSpec spec, String become) {
    StringBuilder inner = new StringBuilder();
    inner.append(loader(spec.environment()));
    if (spec.workingDirectory() != null) {
      inner.append("cd ").append(ShellQuoting.quote(spec.workingDirectory())).append(" && ");
    }
    inner.append(spec.render());
    String command = inner.toString();
    if (become != null) {
      command =
          "sudo -n -u "
              + ShellQuoting.quote(become)
              + " -- /bin/sh -c "
              + ShellQuoting.quote(command);
    }
    String quoted = ShellQuoting.quote(command);
    String report = "printf '" + PID_MARKER + "%s\\n' \"$$\" >&2";
    return "if command -v setsid >/dev/null 2>&1; then exec setsid -w /bin/sh -c "
        + ShellQuoting.quote(report + "; exec /bin/sh -c \"$1\"")
        + " runbook "
        + quoted
        + "; else "
        + report
        + "; exec /bin/sh -c "
        + quoted
        + "; fi";
  }

  /**
   * The lines that read the command's environment variables from its standard input, where {@link
   * #environmentInput} puts them: never on a command line, where every user of the host could read
   * them with ps. Each value is read as exactly its bytes with {@code head -c} (a {@code .} is
   * appended and removed so trailing newlines survive the command substitution); nothing parses it.
   */
  static String loader(Map<String, String> environment) {
    StringBuilder loader = new StringBuilder();
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      String name = variable.getKey();
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("not an environment variable name: " + name);
      }
      int bytes = variable.getValue().getBytes(StandardCharsets.UTF_8).length;
      loader
          .append(name)
          .append("=$(head -c ")
          .append(bytes)
          .append("; echo .) && ")
          .append(name)
          .append("=${")
          .append(name)
          .append("%.} && export ")
          .append(name)
          .append(" && ");
    }
    return loader.toString();
  }

  /** What the command reads first on its standard input: the values {@link #loader} reads. */
  static byte[] environmentInput(Map<String, String> environment) {
    StringBuilder input = new StringBuilder();
    environment.values().forEach(input::append);
    return input.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The pid from the marker line, or -1 when the line is not the marker. */
  static long pid(String stderrLine) {
    Matcher m = PID_LINE.matcher(stderrLine);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Kills the process group. dash's builtin kill cannot signal a group (it reads {@code -PID} as an
   * illegal number), so the kill program is tried next, and the lone process last.
   */
  static String kill(long pid) {
    return "kill -s KILL -- -"
        + pid
        + " 2>/dev/null || /bin/kill -s KILL -- -"
        + pid
        + " 2>/dev/null || kill -s KILL "
        + pid;
  }
}
