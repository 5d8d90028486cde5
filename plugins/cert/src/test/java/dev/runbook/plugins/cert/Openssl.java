package dev.runbook.plugins.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line, the reference the plugin's answers are compared with. */
final class Openssl {

  private Openssl() {}

  /** openssl's standard output and error together; fails the test on a non-zero exit. */
  static String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path output = Files.createTempFile("openssl-", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("openssl did not finish in 30 s: " + command);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "openssl exited " + process.exitValue() + ": " + command + "\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** The SHA-256 fingerprint openssl gives for a PEM or DER certificate file. */
  static String sha256(Path file, String form) throws IOException, InterruptedException {
    return field(
        run("x509", "-inform", form, "-in", file.toString(), "-noout", "-fingerprint", "-sha256"),
        "sha256 Fingerprint");
  }

  /** The value of {@code name=value} in openssl's one-line output, such as the fingerprint. */
  static String field(String output, String name) {
    return output
        .lines()
        .filter(line -> line.startsWith(name + "="))
        .map(line -> line.substring(name.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + "= in " + output));
  }
}
