package dev.runbook.plugins.kubectl;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepFailure;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies a kubectl run that exited non-zero. kubectl exits 1 for every error, so the kind comes
 * from its structured parts, in this order:
 *
 * <ol>
 *   <li>a {@code Status} object on stdout (with {@code -o json}): its {@code reason};
 *   <li>{@code command terminated with exit code N} ({@code exec}): the remote command's own
 *       failure, {@link FailureKind#NON_ZERO_EXIT} with kubectl exiting N;
 *   <li>exit status 126 or 127 without that line: the shell that started kubectl (over SSH) could
 *       not run it, {@link FailureKind#CONFIG} with how to install it;
 *   <li>the first stderr line kubectl prints for an error, matched on its fixed prefix:
 *       <ul>
 *         <li>{@code Error from server (REASON): …}: REASON is the API's {@code
 *             metav1.StatusReason}, a fixed token: NotFound → NOT_FOUND, Forbidden → FORBIDDEN,
 *             Unauthorized → AUTH, Timeout / ServerTimeout → TIMEOUT, anything else →
 *             NON_ZERO_EXIT;
 *         <li>{@code error: You must be logged in to the server (Unauthorized)} → AUTH;
 *         <li>{@code The connection to the server … was refused}, {@code Unable to connect to the
 *             server: …} → CONNECT (TIMEOUT when the cause is a timeout after the connection was
 *             made: {@code Client.Timeout exceeded}, {@code context deadline exceeded}, {@code TLS
 *             handshake timeout});
 *         <li>{@code error: timed out waiting for the condition} ({@code wait}) → TIMEOUT;
 *         <li>{@code error: the server doesn't have a resource type "X"} → NOT_FOUND (the kind is
 *             not installed: no CRD, not OpenShift);
 *         <li>kubeconfig and usage errors ({@code Error in configuration}, {@code error loading
 *             config file}, {@code error: stat …}, {@code unknown flag}, {@code unknown command},
 *             {@code flag needs an argument}) → CONFIG;
 *       </ul>
 *   <li>anything else: NON_ZERO_EXIT.
 * </ol>
 *
 * A NON_ZERO_EXIT failure is what the step's {@code exit_codes} may accept; the others are not.
 */
final class KubectlFailures {

  private static final Pattern SERVER_ERROR = Pattern.compile("^Error from server \\((\\w+)\\)");
  private static final Pattern REMOTE_EXIT = Pattern.compile("command terminated with exit code");

  private static final Map<String, FailureKind> REASONS =
      Map.of(
          "NotFound", FailureKind.NOT_FOUND,
          "Forbidden", FailureKind.FORBIDDEN,
          "Unauthorized", FailureKind.AUTH,
          "Timeout", FailureKind.TIMEOUT,
          "ServerTimeout", FailureKind.TIMEOUT);

  private static final List<String> CONFIG_PREFIXES =
      List.of(
          "Error in configuration",
          "error: error loading config file",
          "error: stat ",
          "error: unknown flag",
          "error: unknown shorthand flag",
          "Error: unknown flag",
          "Error: unknown shorthand flag",
          "error: unknown command",
          "error: flag needs an argument",
          "error: the path");

  private static final List<String> TIMEOUT_CAUSES =
      List.of("Client.Timeout exceeded", "context deadline exceeded", "TLS handshake timeout");

  private KubectlFailures() {}

  /**
   * Why the run failed; empty when it exited 0.
   *
   * @param json the parsed stdout, or null
   * @param binary the program, for the install hint
   * @param where where it ran ({@link dev.runbook.api.Transport#describe()}), for messages
   */
  static Optional<StepFailure> classify(
      int exitCode, String stderr, Object json, String binary, String where) {
    if (exitCode == 0) {
      return Optional.empty();
    }
    String exited = "exited with status " + exitCode;
    if (json instanceof Map<?, ?> status
        && "Status".equals(status.get("kind"))
        && "Failure".equals(status.get("status"))) {
      String reason = String.valueOf(status.get("reason"));
      return Optional.of(
          StepFailure.of(
              REASONS.getOrDefault(reason, FailureKind.NON_ZERO_EXIT),
              exited + ": (" + reason + ") " + status.get("message")));
    }
    List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (lines.stream().anyMatch(l -> REMOTE_EXIT.matcher(l).find())) {
      return Optional.of(StepFailure.of(FailureKind.NON_ZERO_EXIT, exited + ": " + last(lines)));
    }
    if (exitCode == 126 || exitCode == 127) {
      return Optional.of(
          StepFailure.of(
              FailureKind.CONFIG,
              "cannot run '"
                  + binary
                  + "' on "
                  + where
                  + " ("
                  + exited
                  + (lines.isEmpty() ? "" : ": " + last(lines))
                  + "); "
                  + KubectlTarget.installHint(binary, where)));
    }
    for (String line : lines) {
      FailureKind kind = kindOf(line);
      if (kind != null) {
        return Optional.of(StepFailure.of(kind, exited + ": " + line));
      }
    }
    return Optional.of(
        StepFailure.of(
            FailureKind.NON_ZERO_EXIT, exited + (lines.isEmpty() ? "" : ": " + last(lines))));
  }

  /** The kind a kubectl error line announces, or null when the line announces none. */
  static FailureKind kindOf(String line) {
    Matcher server = SERVER_ERROR.matcher(line);
    if (server.find()) {
      return REASONS.getOrDefault(server.group(1), FailureKind.NON_ZERO_EXIT);
    }
    if (line.startsWith("error: You must be logged in to the server")) {
      return FailureKind.AUTH;
    }
    if (line.startsWith("Unable to connect to the server")) {
      return TIMEOUT_CAUSES.stream().anyMatch(line::contains)
          ? FailureKind.TIMEOUT
          : FailureKind.CONNECT;
    }
    if (line.startsWith("The connection to the server") && line.contains("was refused")) {
      return FailureKind.CONNECT;
    }
    if (line.startsWith("error: timed out waiting for the condition")) {
      return FailureKind.TIMEOUT;
    }
    if (line.startsWith("error: the server doesn't have a resource type")) {
      return FailureKind.NOT_FOUND;
    }
    if (CONFIG_PREFIXES.stream().anyMatch(line::startsWith)) {
      return FailureKind.CONFIG;
    }
    return null;
  }

  private static String last(List<String> lines) {
    String line = lines.get(lines.size() - 1);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
