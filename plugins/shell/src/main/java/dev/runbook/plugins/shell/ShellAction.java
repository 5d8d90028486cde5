package dev.runbook.plugins.shell;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.FailureKind;
import dev.runbook.api.InputType;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.Secret;
import dev.runbook.api.ShellQuoting;
import dev.runbook.api.ShellScript;
import dev.runbook.api.StepFailure;
import dev.runbook.api.StepResult;
import dev.runbook.api.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a command on the step's target: a shell line ({@code command}, run by {@code /bin/sh -c},
 * its interpolated values already quoted by the engine) or an argv ({@code argv}, no shell).
 *
 * <p>Result: {@code exitCode}, {@code stdout} and {@code stderr} (each without its trailing
 * newline), {@code truncated}. A non-zero exit is a {@link FailureKind#NON_ZERO_EXIT} failure; the
 * step's {@code exit_codes} decide which exits count as success.
 */
final class ShellAction implements Action {

  private static final ActionDescriptor DESCRIPTOR =
      ActionDescriptor.builder("shell", "Run a command on the step's target")
          .optional("command", InputType.SHELL, "a shell line, run by /bin/sh -c")
          .shorthand()
          .optional("argv", InputType.ARGV, "a program and its arguments, run without a shell")
          .optional("env", InputType.MAP, "extra environment variables")
          .optional("dir", InputType.TEXT, "the working directory")
          .build();

  @Override
  public ActionDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public List<String> checkInputs(Set<String> given) {
    if (given.contains("command") == given.contains("argv")) {
      return List.of(
          "action 'shell' needs exactly one of 'command' (a shell line) and 'argv' (a list)");
    }
    return List.of();
  }

  @Override
  public PlannedAction preview(ActionRequest request) {
    ShellScript script = request.shell("command");
    return new PlannedAction(
        request.target().describe(),
        render(request, true),
        request.changes(),
        script == null ? Map.of() : script.shownEnvironment());
  }

  @Override
  public StepResult execute(ActionRequest request, ActionContext context)
      throws InterruptedException {
    CommandSpec command = command(request);
    CommandResult result;
    try {
      result = context.transport().run(command, context.output(), context.timeout().orElse(null));
    } catch (TransportException e) {
      return StepResult.failed(e.toFailure());
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("stdout", result.stdoutText());
    data.put("stderr", result.stderrText());
    data.put("truncated", result.truncated());
    data.put("durationMs", result.duration().toMillis());
    if (result.exitCode() != 0) {
      String detail = result.lastErrorLine();
      return StepResult.failed(
              StepFailure.of(
                  FailureKind.NON_ZERO_EXIT,
                  "exited with status "
                      + result.exitCode()
                      + (detail.isEmpty() ? "" : ": " + detail)),
              data)
          .withExitCode(result.exitCode());
    }
    return StepResult.succeeded(data).withExitCode(result.exitCode());
  }

  private static CommandSpec command(ActionRequest request) {
    CommandSpec spec;
    Map<String, String> environment = new LinkedHashMap<>();
    if (request.inputs().containsKey("command")) {
      ShellScript script = request.shell("command");
      spec = CommandSpec.script(script.script());
      environment.putAll(script.environment());
    } else {
      spec = CommandSpec.argv(strings(request.inputs().get("argv"), false));
    }
    if (request.inputs().get("env") instanceof Map<?, ?> map) {
      map.forEach((k, v) -> environment.put(k.toString(), reveal(v)));
    }
    if (!environment.isEmpty()) {
      spec = spec.withEnvironment(environment);
    }
    if (request.inputs().containsKey("dir")) {
      spec = spec.inDirectory(request.text("dir"));
    }
    return spec;
  }

  /** The command as the plan and the audit trail show it: secrets masked, argv quoted. */
  static String render(ActionRequest request, boolean masked) {
    StringBuilder line = new StringBuilder();
    if (request.inputs().get("dir") != null) {
      line.append("cd ").append(ShellQuoting.quote(request.masked("dir"))).append(" && ");
    }
    if (request.inputs().get("env") instanceof Map<?, ?> env) {
      env.forEach(
          (k, v) ->
              line.append(k)
                  .append('=')
                  .append(ShellQuoting.quote(masked ? v.toString() : reveal(v)))
                  .append(' '));
    }
    if (request.inputs().containsKey("command")) {
      line.append(masked ? request.masked("command") : request.text("command"));
    } else {
      line.append(ShellQuoting.join(strings(request.inputs().get("argv"), masked)));
    }
    return line.toString();
  }

  private static List<String> strings(Object value, boolean masked) {
    List<String> words = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> words.add(masked ? v.toString() : reveal(v)));
    } else if (value != null) {
      words.add(masked ? value.toString() : reveal(value));
    }
    return words;
  }

  private static String reveal(Object value) {
    return value instanceof Secret secret ? secret.reveal() : value.toString();
  }
}
