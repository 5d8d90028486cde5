package dev.runbook.plugins.cert;

import dev.runbook.api.ActionContext;
import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.FailureKind;
import dev.runbook.api.OutputSink;
import dev.runbook.api.ShellScript;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import java.util.Base64;
import java.util.List;

/**
 * Reads one file on the step's target, named by a shell word that may hold globs and variables
 * ({@code ${BIGDATA_HOME}/FusionInsight_Flink_*}{@code /…/server.crt}).
 *
 * <p>A small POSIX sh script expands the word on the target (the engine has already quoted every
 * interpolated value in it), checks that it names exactly one readable regular file, and prints the
 * file's path and then its content base64-encoded, so that PEM and DER survive a text channel. The
 * script's exit status says what went wrong; the messages are written here, with the pattern in
 * them.
 */
final class TargetFiles {

  /**
   * What was read.
   *
   * @param source the path the pattern expanded to
   * @param target the transport's description of the target, for messages
   * @param content the file's bytes
   */
  record Read(String source, String target, byte[] content) {}

  // Exit statuses of the script, above what sh and base64 use for their own errors.
  private static final int NO_MATCH = 65;
  private static final int SEVERAL = 66;
  private static final int NOT_REGULAR = 67;
  private static final int UNREADABLE = 68;

  private TargetFiles() {}

  /** The script that {@link #read} runs for {@code pattern}; shown by previews too. */
  static String script(ShellScript pattern) {
    return String.join(
        "\n",
        "set -- " + pattern.script(),
        "if [ \"$#\" -gt 1 ]; then printf '%s\\n' \"$@\"; exit " + SEVERAL + "; fi",
        "if [ ! -e \"$1\" ]; then exit " + NO_MATCH + "; fi",
        "printf '%s\\n' \"$1\"",
        "if [ ! -f \"$1\" ]; then exit " + NOT_REGULAR + "; fi",
        "if [ ! -r \"$1\" ]; then exit " + UNREADABLE + "; fi",
        "if command -v base64 >/dev/null 2>&1; then base64 < \"$1\"; else openssl base64 < \"$1\"; fi");
  }

  /**
   * Reads the one file {@code pattern} matches on the step's target.
   *
   * @param input the input that named the file, for messages ({@code path}, {@code ca_path})
   */
  static Read read(ActionContext context, String input, ShellScript file)
      throws CertFailure, InterruptedException {
    String pattern = file.readable();
    CommandResult result;
    Transport transport;
    try {
      transport = context.transport();
      // stdout is the file, perhaps a private key: never the step's output or the audit trail.
      result =
          transport.run(
              CommandSpec.script(script(file)).withEnvironment(file.environment()),
              stderrOnly(context.output()),
              context.timeout().orElse(null));
    } catch (TransportException e) {
      throw CertFailure.of(e);
    }
    List<String> lines = result.stdout().lines().toList();
    String where = " on " + transport.describe();
    if (result.exitCode() != 0) {
      throw failure(result, lines, input + ": ", pattern, where);
    }
    if (result.truncated() || lines.isEmpty()) {
      throw new CertFailure(
          FailureKind.CONFIG,
          input + ": " + first(lines) + where + " is too large to be a certificate or key file");
    }
    String encoded = String.join("", lines.subList(1, lines.size()));
    try {
      return new Read(lines.get(0), transport.describe(), Base64.getMimeDecoder().decode(encoded));
    } catch (IllegalArgumentException e) {
      throw new CertFailure(
          FailureKind.PLUGIN_ERROR,
          input + ": the target's base64 output for " + lines.get(0) + " is not base64",
          e);
    }
  }

  private static CertFailure failure(
      CommandResult result, List<String> lines, String prefix, String pattern, String where) {
    return switch (result.exitCode()) {
      case NO_MATCH ->
          new CertFailure(FailureKind.NOT_FOUND, prefix + "no file matches " + pattern + where);
      case SEVERAL ->
          new CertFailure(
              FailureKind.CONFIG,
              prefix
                  + pattern
                  + " matches "
                  + lines.size()
                  + " files"
                  + where
                  + " ("
                  + String.join(", ", lines)
                  + "); make it match one");
      case NOT_REGULAR ->
          new CertFailure(
              FailureKind.CONFIG, prefix + first(lines) + where + " is not a regular file");
      case UNREADABLE ->
          new CertFailure(
              FailureKind.FORBIDDEN,
              prefix + first(lines) + where + " is not readable by the target's user");
      default ->
          new CertFailure(
              FailureKind.NON_ZERO_EXIT,
              prefix
                  + "reading "
                  + pattern
                  + where
                  + " exited with status "
                  + result.exitCode()
                  + (result.lastErrorLine().isEmpty() ? "" : ": " + result.lastErrorLine()));
    };
  }

  private static OutputSink stderrOnly(OutputSink sink) {
    return new OutputSink() {
      @Override
      public void stdout(String line) {}

      @Override
      public void stderr(String line) {
        sink.stderr(line);
      }
    };
  }

  private static String first(List<String> lines) {
    return lines.isEmpty() ? "(no path)" : lines.get(0);
  }
}
