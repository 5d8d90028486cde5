package dev.runbook.engine;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.Plugin;
import dev.runbook.api.ShellScript;
import dev.runbook.api.StepResult;
import dev.runbook.api.TargetKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A FAKE plugin for engine-core unit tests, which may not depend on the real shell plugin: an
 * action {@code cmd} with the shell action's input shapes that runs nothing and records every call.
 * Integration tests in engine/cli use the real plugins.
 */
public final class FakeCommandPlugin implements Plugin {

  public final List<ActionRequest> executed = Collections.synchronizedList(new ArrayList<>());
  public final List<ActionRequest> previewed = Collections.synchronizedList(new ArrayList<>());

  @Override
  public String id() {
    return "fake";
  }

  @Override
  public List<Action> actions() {
    return List.of(new FakeAction());
  }

  /**
   * Target kinds shaped like the real plugins' (a flag, a value with settings beside it, a client
   * mapping), under the same names so the format's examples read as they do in the docs: core
   * cannot load the real plugins, which build after it.
   */
  @Override
  public List<TargetKind> targetKinds() {
    return List.of(
        TargetKind.flag("local", TargetKind.ShellDialect.POSIX, "the engine's machine"),
        TargetKind.value(
            "ssh",
            "host",
            List.of(
                InputSpec.optional("user", InputType.TEXT, "user"),
                InputSpec.optional("port", InputType.TEXT, "port"),
                InputSpec.optional("become", InputType.TEXT, "become"),
                InputSpec.optional("identity", InputType.TEXT, "identity"),
                InputSpec.optional("jump", InputType.TEXT, "jump")),
            TargetKind.ShellDialect.POSIX,
            "a machine"),
        TargetKind.client(
                "kubectl",
                List.of(
                    InputSpec.optional("context", InputType.TEXT, "context"),
                    InputSpec.optional("namespace", InputType.TEXT, "namespace"),
                    InputSpec.optional("kubeconfig", InputType.TEXT, "kubeconfig"),
                    InputSpec.optional("binary", InputType.TEXT, "binary"),
                    InputSpec.optional(TargetKind.VIA, InputType.TARGET, "via")),
                "a cluster")
            .withChoices("binary", "kubectl", "oc"));
  }

  private final class FakeAction implements Action {
    @Override
    public ActionDescriptor descriptor() {
      return ActionDescriptor.builder("cmd", "a fake command")
          .optional("command", InputType.SHELL, "a shell line")
          .shorthand()
          .optional("argv", InputType.LIST, "argv")
          .optional("count", InputType.INT, "a number")
          .optional("node", InputType.TARGET, "a target")
          .build();
    }

    @Override
    public PlannedAction preview(ActionRequest request) {
      previewed.add(request);
      ShellScript script = request.shell("command");
      return new PlannedAction(
          request.target().describe(),
          String.valueOf(request.masked("command")),
          request.changes(),
          script == null ? Map.of() : script.shownEnvironment());
    }

    @Override
    public StepResult execute(ActionRequest request, ActionContext context) {
      executed.add(request);
      return StepResult.succeeded(Map.of("exitCode", 0L));
    }
  }
}
