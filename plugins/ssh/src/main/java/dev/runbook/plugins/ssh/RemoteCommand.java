package dev.runbook.plugins.ssh;

import dev.runbook.api.CommandSpec;
import dev.runbook.api.ShellQuoting;
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
    if (spec.workingDirectory() != null) {
      inner.append("cd ").append(ShellQuoting.quote(spec.workingDirectory())).append(" && ");
    }
    for (Map.Entry<String, String> env : spec.environment().entrySet()) {
      inner
          .append("export ")
          .append(env.getKey())
          .append('=')
          .append(ShellQuoting.quote(env.getValue()))
          .append("; ");
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
