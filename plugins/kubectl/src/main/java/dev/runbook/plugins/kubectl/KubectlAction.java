package dev.runbook.plugins.kubectl;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.FailureKind;
import dev.runbook.api.InputType;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.ShellQuoting;
import dev.runbook.api.StepFailure;
import dev.runbook.api.StepResult;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs {@code kubectl} (or {@code oc}: the target's {@code binary}) as an argv, never through a
 * shell, on the step's target: the engine's machine, or wherever the target's transport runs it.
 *
 * <p>Inputs (exactly one of {@code command} and {@code args}):
 *
 * <ul>
 *   <li>{@code command}: the arguments as one line, the main input ({@code kubectl: get nodes -o
 *       json}); split into words as a POSIX shell would (quotes honoured, {@code ${…}} values
 *       always one word), no pipes or substitutions; a leading {@code kubectl} or {@code oc} word
 *       is dropped, since the target chooses the program;
 *   <li>{@code args}: the arguments as a list, used as they are;
 *   <li>{@code output}: {@code json}, {@code yaml}, {@code name}, {@code wide}, {@code jsonpath=…},
 *       {@code jsonpath-as-json=…}, … added as {@code -o OUTPUT}; {@code text} (the default) adds
 *       nothing;
 *   <li>{@code namespace}: overrides the target's namespace (neither is added when the arguments
 *       say {@code -n}, {@code --namespace} or {@code -A});
 *   <li>{@code timeout}: kubectl's own deadline, default 30s: always {@code --request-timeout}, so
 *       a call can never hang on an API server that does not answer, and for {@code wait} also
 *       {@code --timeout} unless the arguments give one. The step's {@code timeout} still stops the
 *       process;
 *   <li>{@code server_dry_run}: {@code true} adds {@code --dry-run=server}: the API server checks
 *       and admits the change but stores nothing.
 * </ul>
 *
 * <p>The command line is {@link KubectlCommand}'s; the result's fields are {@link KubectlResult}'s;
 * failures are classified by {@link KubectlFailures}. A step whose verb only reads ({@code get},
 * {@code wait}, {@code describe} …), or that is a server dry run, is previewed as changing nothing.
 */
final class KubectlAction implements Action {

  private static final ActionDescriptor DESCRIPTOR =
      ActionDescriptor.builder(
              "kubectl", "Run kubectl (or oc) on the step's target, without a shell")
          .optional(
              "command", InputType.WORDS, "kubectl's arguments as one line, split without a shell")
          .shorthand()
          .optional("args", InputType.ARGV, "kubectl's arguments as a list")
          .optional(
              "output", InputType.TEXT, "json, yaml, name, jsonpath=…: added as -o; text for none")
          .optional("namespace", InputType.TEXT, "the namespace, instead of the target's")
          .optional(
              "timeout", InputType.DURATION, "kubectl's --request-timeout (and wait's --timeout)")
          .optional(
              "server_dry_run", InputType.BOOL, "true: --dry-run=server, the server stores nothing")
          .build();

  @Override
  public ActionDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public List<String> checkInputs(Set<String> given) {
    if (given.contains("command") == given.contains("args")) {
      return List.of(
          "action 'kubectl' needs exactly one of 'command' (one line) and 'args' (a list)");
    }
    return List.of();
  }

  @Override
  public PlannedAction preview(ActionRequest request) {
    String where = request.target().describe();
    try {
      KubectlCommand command = KubectlCommand.of(request, true);
      return new PlannedAction(
          where, ShellQuoting.join(command.argv()), command.changes(request.changes()));
    } catch (IllegalArgumentException e) {
      // The plan must still show the step; running it fails with the same message.
      return new PlannedAction(where, "kubectl: " + e.getMessage(), request.changes());
    }
  }

  @Override
  public StepResult execute(ActionRequest request, ActionContext context)
      throws InterruptedException {
    KubectlCommand command;
    try {
      command = KubectlCommand.of(request, false);
    } catch (IllegalArgumentException e) {
      return StepResult.failed(StepFailure.of(FailureKind.CONFIG, e.getMessage()));
    }
    String binary = command.argv().get(0);
    Transport transport;
    CommandResult result;
    // A read of Secrets keeps its stdout back until the values in it are masked.
    HeldOutput held = SecretValues.mayPrint(command) ? new HeldOutput(context.output()) : null;
    try {
      transport = context.transport();
      result =
          transport.run(
              CommandSpec.argv(command.argv()),
              held != null ? held : context.output(),
              processTimeout(request, context));
    } catch (TransportException e) {
      return StepResult.failed(startFailure(e, binary, request));
    }
    Object json = KubectlResult.json(command.output(), result.stdout());
    if (held != null) {
      SecretValues.in(json, result.stdout()).forEach(context::maskSecret);
      held.releaseStdout();
    }
    Map<String, Object> data = KubectlResult.data(result, command.output(), json);
    Optional<StepFailure> failure =
        KubectlFailures.classify(
            result.exitCode(), result.stderr(), json, binary, transport.describe());
    return failure.isPresent()
        ? StepResult.failed(failure.get(), data).withExitCode(result.exitCode())
        : StepResult.succeeded(data).withExitCode(result.exitCode());
  }

  /** kubectl's own deadline plus a margin, so its clearer message wins; never past the step's. */
  private static Duration processTimeout(ActionRequest request, ActionContext context) {
    Duration own = KubectlCommand.timeout(request).plusSeconds(10);
    return context.timeout().filter(step -> step.compareTo(own) < 0).orElse(own);
  }

  /** A transport failure; one that could not start the program says how to install it. */
  private static StepFailure startFailure(
      TransportException e, String binary, ActionRequest request) {
    if (e.kind() != FailureKind.CONFIG) {
      return e.toFailure();
    }
    String via = KubectlTarget.via(request.target());
    return StepFailure.of(
        FailureKind.CONFIG,
        e.getMessage()
            + "; "
            + KubectlTarget.installHint(binary, via == null ? "this machine" : "'" + via + "'"));
  }
}
