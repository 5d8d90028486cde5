package dev.runbook.plugins.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * util-linux's {@code setsid} and {@code flock}, which every Linux the engine runs on has: a step
 * in a session of its own can be stopped whole, and a step under {@code flock -s} holds its run's
 * locks while it lives. Without them (not Linux), commands run as before: killed as a tree, their
 * locks held only by the engine.
 */
final class SessionTools {

  static final String SETSID = find("setsid");
  static final String FLOCK = find("flock");

  private SessionTools() {}

  private static String find(String name) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** The live processes whose session id is {@code sid}, read from {@code /proc}. */
  static List<ProcessHandle> session(long sid) {
    List<ProcessHandle> members = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        Long session = sessionOf(proc);
        if (session != null && session == sid) {
          ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(members::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: the tree walk still applies
    }
    return members;
  }

  /** Field 6 of /proc/PID/stat, after the command name in parentheses (which may hold spaces). */
  private static Long sessionOf(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[3]);
    } catch (IOException | RuntimeException e) {
      return null; // the process ended while we looked
    }
  }
}
