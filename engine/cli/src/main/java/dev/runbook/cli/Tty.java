package dev.runbook.cli;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal ({@code /dev/tty}), where a person sits even when the command's output
 * is piped ({@code runbook run X | tee log}) or its input is a file: questions are asked and
 * answered there, never on standard output, so they never vanish into a pipe. A process without a
 * controlling terminal (cron, systemd, CI) has none, and its runs pause instead of asking.
 *
 * <p>Echo is switched off for secrets with {@code stty}, on the terminal itself. Tests switch the
 * terminal off with the system property {@code runbook.tty=off}, so a developer's terminal never
 * waits inside a test.
 */
final class Tty {

  private static final Path DEVICE = Path.of("/dev/tty");

  private final InputStream in;
  private final OutputStream out;

  private Tty(InputStream in, OutputStream out) {
    this.in = in;
    this.out = out;
  }

  /** The controlling terminal, or empty when the process has none. */
  static Optional<Tty> open() {
    if ("off".equals(System.getProperty("runbook.tty")) || !Files.exists(DEVICE)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Tty(new FileInputStream(DEVICE.toFile()), new FileOutputStream(DEVICE.toFile())));
    } catch (IOException e) {
      return Optional.empty(); // ENXIO: no controlling terminal
    }
  }

  /** Whether standard output is a terminal (not a pipe or a file). */
  static boolean stdoutIsTerminal() {
    if ("off".equals(System.getProperty("runbook.tty"))) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The terminal's width in columns, or 0 when it cannot be told. */
  static int width() {
    String columns = System.getenv("COLUMNS");
    if (columns != null && columns.matches("\\d{1,4}")) {
      return Integer.parseInt(columns);
    }
    if (!Files.exists(DEVICE) || "off".equals(System.getProperty("runbook.tty"))) {
      return 0;
    }
    try {
      Process stty =
          new ProcessBuilder("stty", "size")
              .redirectInput(DEVICE.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!stty.waitFor(2, TimeUnit.SECONDS) || stty.exitValue() != 0) {
        return 0;
      }
      String[] parts = size.strip().split("\\s+");
      return parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  void print(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** A line typed at the terminal, without its newline; null at end of input (Ctrl-D). */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8).replaceAll("\r$", "");
      }
      line.write(b);
    }
  }

  /**
   * Shows {@code prompt} and reads a line typed with echo off, for a secret; echo is restored
   * whatever happens. Echo goes off before the prompt appears, so a fast typist (or a paste) can
   * never be echoed.
   */
  String readSecret(String prompt) throws IOException, InterruptedException {
    stty("-echo");
    try {
      print(prompt);
      return readLine();
    } finally {
      stty("echo");
      print("\n");
    }
  }

  private static void stty(String setting) throws IOException, InterruptedException {
    Process stty =
        new ProcessBuilder("stty", setting)
            .redirectInput(DEVICE.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!stty.waitFor(2, TimeUnit.SECONDS)) {
      stty.destroyForcibly();
      throw new IOException("stty " + setting + " did not finish in 2 s");
    }
  }

  void close() {
    try {
      in.close();
      out.close();
    } catch (IOException e) {
      // nothing to do: the terminal is gone
    }
  }
}
