package dev.runbook.engine.execute;

import dev.runbook.api.OutputSink;
import dev.runbook.api.Secret;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.Hashes;
import dev.runbook.engine.state.PrivateFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

/**
 * A step's output: every line redacted, written whole to {@code outputs/STEP.log} (stderr lines
 * marked), passed to listeners, and its size, hash and last lines kept for the trail.
 */
final class StepOutput implements OutputSink, AutoCloseable {

  private static final int TAIL_LINES = 20;
  private static final int TAIL_CHARS = 4000;

  private final String step;
  private final Path file;
  private final String relativeFile;
  private final Redactor redactor;
  private final RunListener listener;
  private final MessageDigest digest = Hashes.digest();
  private final Deque<String> tail = new ArrayDeque<>();
  private final boolean secret;
  private BufferedWriter writer;
  private long bytes;

  /**
   * @param secret whether the step's output is secret ({@code secret_output: true}): every line is
   *     then kept and shown as {@code ****}, its count and kind (out or err) only
   */
  StepOutput(String step, Path runDir, Redactor redactor, RunListener listener, boolean secret) {
    this.step = step;
    this.secret = secret;
    String name = step.replaceAll("[^A-Za-z0-9@#._-]+", "_") + ".log";
    this.file = runDir.resolve("outputs").resolve(name);
    this.relativeFile = "outputs/" + name;
    this.redactor = redactor;
    this.listener = listener;
  }

  @Override
  public void stdout(String line) {
    accept(false, line);
  }

  @Override
  public void stderr(String line) {
    accept(true, line);
  }

  private synchronized void accept(boolean stderr, String raw) {
    String line = secret ? Secret.MASK : redactor.redact(raw);
    listener.output(step, stderr, line);
    String stored = (stderr ? "err| " : "out| ") + line + "\n";
    try {
      if (writer == null) {
        PrivateFiles.createDirectories(file.getParent());
        OutputStream out =
            new DigestOutputStream(
                Channels.newOutputStream(
                    PrivateFiles.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)),
                digest);
        writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      }
      writer.write(stored);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    bytes += stored.getBytes(StandardCharsets.UTF_8).length;
    tail.addLast(stored.substring(0, stored.length() - 1));
    while (tail.size() > TAIL_LINES) {
      tail.removeFirst();
    }
  }

  /** The record of this output for the trail, or null when the step printed nothing. */
  synchronized AuditEvent.OutputRecord record() {
    close();
    if (bytes == 0) {
      return null;
    }
    String text = String.join("\n", tail);
    if (text.length() > TAIL_CHARS) {
      text = text.substring(text.length() - TAIL_CHARS);
    }
    return new AuditEvent.OutputRecord(
        relativeFile, bytes, HexFormat.of().formatHex(digest.digest()), text);
  }

  @Override
  public synchronized void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      writer = null;
    }
  }
}
