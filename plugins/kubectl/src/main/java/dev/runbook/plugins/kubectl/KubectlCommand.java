package dev.runbook.plugins.kubectl;

import dev.runbook.api.ActionRequest;
import dev.runbook.api.Secret;
import dev.runbook.api.Target;
import dev.runbook.api.ValueWord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The kubectl argv for one step, built the same way for the preview (secrets masked) and for the
 * run: the target's binary, its settings as global flags before the verb, the step's arguments,
 * then the flags this action adds, which go before any {@code --} so that {@code exec}'s remote
 * command is never touched:
 *
 * <pre>
 * kubectl --kubeconfig=K --context=C --namespace=N --request-timeout=30s ARGS… [-o OUT]
 *     [--timeout=30s (wait)] [--dry-run=server] [-- REMOTE COMMAND…]
 * </pre>
 *
 * @param argv the whole command, program first
 * @param verb the kubectl verb ({@code get}, {@code apply} …), or empty
 * @param output the output format asked for, by the {@code output} input or by {@code -o} in the
 *     arguments; empty for kubectl's default text
 * @param serverDryRun whether {@code --dry-run=server} was added
 */
record KubectlCommand(List<String> argv, String verb, String output, boolean serverDryRun) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Verbs that accept {@code --dry-run=server}. */
  static final Set<String> DRY_RUN_VERBS =
      Set.of(
          "apply",
          "create",
          "delete",
          "patch",
          "label",
          "annotate",
          "replace",
          "taint",
          "drain",
          "set",
          "expose",
          "run",
          "autoscale",
          "cordon",
          "uncordon");

  /** Verbs that read only; a step with one of them changes nothing whatever its default. */
  static final Set<String> READ_ONLY_VERBS =
      Set.of(
          "get",
          "describe",
          "logs",
          "wait",
          "top",
          "explain",
          "version",
          "api-resources",
          "api-versions",
          "cluster-info",
          "diff",
          "events");

  /** Global flags whose value is the next word, so that word is not the verb. */
  private static final Set<String> VALUE_FLAGS =
      Set.of(
          "-n",
          "--namespace",
          "--context",
          "--kubeconfig",
          "--cluster",
          "--user",
          "-s",
          "--server",
          "--request-timeout",
          "--as",
          "--token");

  /**
   * kubectl's global flags (as {@code kubectl options} lists them) and {@code -A}: they choose the
   * cluster, the credentials, the namespace and the trust, which are the target's to decide. A word
   * that a value begins may never be one of them, even where a parameter may start with {@code -}
   * ({@code allow_leading_dash}).
   */
  private static final Set<String> TARGET_FLAGS =
      Set.of(
          "--as",
          "--as-group",
          "--as-uid",
          "--cache-dir",
          "--certificate-authority",
          "--client-certificate",
          "--client-key",
          "--cluster",
          "--context",
          "--disable-compression",
          "--insecure-skip-tls-verify",
          "--kubeconfig",
          "--match-server-version",
          "--namespace",
          "--password",
          "--profile",
          "--profile-output",
          "--request-timeout",
          "--server",
          "--tls-server-name",
          "--token",
          "--user",
          "--username",
          "--v",
          "--vmodule",
          "--warnings-as-errors",
          "--all-namespaces");

  /** The one-letter forms of target flags; their value may follow without '=' ({@code -nfoo}). */
  private static final Set<String> TARGET_SHORT_FLAGS = Set.of("-n", "-s", "-v", "-A");

  KubectlCommand {
    argv = List.copyOf(argv);
  }

  /**
   * Builds the command.
   *
   * @param masked true for the preview: secrets show as {@code ****}
   * @throws IllegalArgumentException when the inputs cannot make a command (unsplittable line,
   *     output given twice, dry run on a verb without one); the message says which
   */
  static KubectlCommand of(ActionRequest request, boolean masked) {
    refuseTargetFlagsFromValues(request);
    List<String> args = arguments(request, masked);
    Target target = request.target();
    List<String> argv = new ArrayList<>();
    argv.add(KubectlTarget.binary(target));
    String kubeconfig = target.properties().get("kubeconfig");
    if (present(kubeconfig)) {
      argv.add("--kubeconfig=" + kubeconfig);
    }
    String context = target.properties().get("context");
    if (present(context)) {
      argv.add("--context=" + context);
    }
    String namespace =
        request.inputs().containsKey("namespace")
            ? text(request, "namespace", masked)
            : target.properties().get("namespace");
    if (present(namespace) && !choosesNamespace(args)) {
      argv.add("--namespace=" + namespace);
    }
    Duration timeout = timeout(request);
    argv.add("--request-timeout=" + seconds(timeout));
    if (Boolean.getBoolean("runbook.verbose")) {
      argv.add("--v=6"); // --verbose: kubectl names each request it makes and its answer
    }
    int end = args.indexOf("--");
    List<String> own = end < 0 ? args : args.subList(0, end);
    argv.addAll(own);
    String verb = verb(own);
    String output = outputIn(own);
    if (request.inputs().containsKey("output")) {
      if (!output.isEmpty()) {
        throw new IllegalArgumentException(
            "give the output format once: input 'output' or -o in the arguments, not both");
      }
      output = text(request, "output", masked);
      if (!output.equals("text")) {
        argv.add("-o");
        argv.add(output);
      } else {
        output = "";
      }
    }
    if (verb.equals("wait") && own.stream().noneMatch(a -> a.startsWith("--timeout"))) {
      argv.add("--timeout=" + seconds(timeout));
    }
    boolean dryRun = Boolean.TRUE.equals(request.inputs().get("server_dry_run"));
    if (dryRun) {
      if (!DRY_RUN_VERBS.contains(verb)) {
        throw new IllegalArgumentException(
            "server_dry_run needs a verb that changes something (apply, create, delete, patch …),"
                + " not '"
                + verb
                + "'");
      }
      argv.add("--dry-run=server");
    }
    if (end >= 0) {
      argv.addAll(args.subList(end, args.size()));
    }
    return new KubectlCommand(argv, verb, output, dryRun);
  }

  /**
   * A word a value begins, before {@code --}, may not be a flag the target owns. The words are the
   * step's own arguments: {@code args}, or the words of {@code command} (split by the engine, each
   * value inside one word: see {@code InputType.WORDS}).
   */
  private static void refuseTargetFlagsFromValues(ActionRequest request) {
    Object given =
        request.inputs().containsKey("args")
            ? request.inputs().get("args")
            : request.inputs().get("command");
    if (!(given instanceof List<?> words)) {
      return;
    }
    for (Object word : words) {
      if ("--".equals(word)) {
        return;
      }
      if (word instanceof ValueWord value && isTargetFlag(value.text())) {
        String flag =
            value.text().contains("=") ? value.text().replaceAll("=.*", "") : value.text();
        throw new IllegalArgumentException(
            "a value may not set kubectl's "
                + (flag.length() > 2 && !flag.startsWith("--") ? flag.substring(0, 2) : flag)
                + ": the cluster, credentials and namespace are the target's (give a namespace"
                + " with the step's 'namespace' input or the target's settings)");
      }
    }
  }

  private static boolean isTargetFlag(String word) {
    String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
    if (TARGET_FLAGS.contains(name)) {
      return true;
    }
    return !word.startsWith("--")
        && word.length() >= 2
        && TARGET_SHORT_FLAGS.contains(word.substring(0, 2));
  }

  private static List<String> arguments(ActionRequest request, boolean masked) {
    List<String> args = new ArrayList<>();
    Object given =
        request.inputs().containsKey("args")
            ? request.inputs().get("args")
            : request.inputs().get("command");
    if (given instanceof List<?> list) {
      for (Object item : list) {
        args.add(masked || !(item instanceof Secret secret) ? item.toString() : secret.reveal());
      }
    } else if (given != null) {
      // A plugin test may hand the line as text; the engine always gives words.
      args.addAll(CommandWords.split(given.toString()));
    }
    if (request.inputs().containsKey("command")
        && !args.isEmpty()
        && (args.get(0).equals("kubectl") || args.get(0).equals("oc"))) {
      // Vendor lines start with the program; the target decides which one runs.
      args.remove(0);
    }
    if (args.isEmpty()) {
      throw new IllegalArgumentException("no kubectl arguments: give 'command' or 'args'");
    }
    return args;
  }

  static Duration timeout(ActionRequest request) {
    return request.inputs().get("timeout") instanceof Duration duration
        ? duration
        : DEFAULT_TIMEOUT;
  }

  /** kubectl's duration syntax; whole seconds, at least one. */
  private static String seconds(Duration duration) {
    return Math.max(1, (duration.toMillis() + 999) / 1000) + "s";
  }

  static String verb(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-")) {
        return arg;
      }
      if (VALUE_FLAGS.contains(arg)) {
        i++;
      }
    }
    return "";
  }

  /** The value of {@code -o}/{@code --output} in the arguments, or empty. */
  static String outputIn(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("-o") || arg.equals("--output")) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
      if (arg.startsWith("--output=")) {
        return arg.substring("--output=".length());
      }
      if (arg.startsWith("-o") && !arg.startsWith("--")) {
        return arg.substring(arg.startsWith("-o=") ? 3 : 2);
      }
    }
    return "";
  }

  private static boolean choosesNamespace(List<String> args) {
    return args.stream()
        .anyMatch(
            a ->
                a.equals("-n")
                    || a.startsWith("-n=")
                    || a.equals("--namespace")
                    || a.startsWith("--namespace=")
                    || a.equals("-A")
                    || a.equals("--all-namespaces"));
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static String text(ActionRequest request, String name, boolean masked) {
    return masked ? request.masked(name) : request.text(name);
  }

  /** Whether running it can change the cluster, for the preview. */
  boolean changes(boolean declared) {
    return declared && !serverDryRun && !READ_ONLY_VERBS.contains(verb);
  }
}
