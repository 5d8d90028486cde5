package dev.runbook.cli;

import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds a run's {@code run.lock} as the engine does while it runs or resumes the run: created 0600
 * with {@link PrivateFiles}, locked exclusively with {@link FileChannel#lock()}. In this JVM
 * ({@link #hold}) or in a child JVM ({@link #main}: holds until killed, at most 120 s), so tests
 * see both ways a reader finds a run held.
 */
final class RunLockHolder implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private RunLockHolder(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static RunLockHolder hold(RunDirectory run) throws IOException {
    FileChannel channel =
        PrivateFiles.open(run.runLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return new RunLockHolder(channel, channel.lock());
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }

  /** {@code RUN_DIR READY_FILE}: locks, then writes READY_FILE, then waits to be killed. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (RunLockHolder held = hold(new RunDirectory(dir.getFileName().toString(), dir))) {
      Files.writeString(Path.of(args[1]), "locked");
      Thread.sleep(120_000);
    }
  }
}
