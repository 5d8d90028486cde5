package dev.runbook.engine.execute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which processes hold a {@code flock} on a lock file, read from {@code /proc/locks}: the step
 * processes of a run whose engine was killed hold the run's locks this way ({@code flock -s}, see
 * {@code CommandSpec.holdFiles}) for as long as they live, so the next run waits for them instead
 * of running the same change at the same time. The engine's own lock is an {@code fcntl} lock,
 * which Linux keeps apart from {@code flock}, so a probe never sees it.
 */
final class LockHolders {

  private static final Path PROC_LOCKS = Path.of("/proc/locks");

  private LockHolders() {}

  /** The live processes holding a flock on {@code file}; empty when none (or not Linux). */
  static List<Long> of(Path file) {
    List<Long> pids = new ArrayList<>();
    try {
      Object inode = Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
      long dev =
          ((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
      String device = String.format("%02x:%02x", major(dev), minor(dev));
      String suffix = device + ":" + inode;
      for (String line : Files.readAllLines(PROC_LOCKS, StandardCharsets.UTF_8)) {
        String[] fields = line.strip().split("\\s+");
        // "1: FLOCK  ADVISORY  READ  12345 08:01:1234567 0 EOF"
        if (fields.length >= 6 && fields[1].equals("FLOCK") && fields[5].equals(suffix)) {
          long pid = Long.parseLong(fields[4]);
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
              && !pids.contains(pid)) {
            pids.add(pid);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no such file: nothing holds it this way
    }
    return pids;
  }

  private static long major(long dev) {
    return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
  }

  private static long minor(long dev) {
    return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
  }

  /** What a run waiting for those processes is told. */
  static String describe(List<Long> pids) {
    return "processes that a stopped run started for a step are still running (pid "
        + String.join(", ", pids.stream().map(String::valueOf).toList())
        + ") and hold it until they end; the change they make may still be in progress";
  }
}
