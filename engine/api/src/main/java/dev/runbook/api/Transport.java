package dev.runbook.api;

import java.time.Duration;

/**
 * Runs commands and moves files on one target. The engine opens a transport once per target per run
 * and reuses it across steps; implementations must allow concurrent {@link #run} calls.
 */
public interface Transport extends AutoCloseable {

  /** Where this transport runs things, for messages: {@code local}, {@code omm@node-1:22}. */
  String describe();

  /**
   * Runs a command to its end, streaming its output to {@code sink}.
   *
   * @param timeout how long it may run; null for no limit. On expiry the whole process tree (or the
   *     remote command) is stopped and a {@link TransportException} of kind {@link
   *     FailureKind#TIMEOUT} is thrown
   * @throws InterruptedException when the thread is interrupted; the command is stopped first
   */
  CommandResult run(CommandSpec command, OutputSink sink, Duration timeout)
      throws TransportException, InterruptedException;

  /** The bytes of a file on the target. */
  byte[] readFile(String path) throws TransportException, InterruptedException;

  /** Writes a file on the target, replacing it, with the given POSIX mode (such as 0600). */
  void writeFile(String path, byte[] content, int mode)
      throws TransportException, InterruptedException;

  @Override
  void close();
}
