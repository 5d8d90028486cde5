package dev.runbook.engine;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.Plugin;
import dev.runbook.api.StepResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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

  private final class FakeAction implements Action {
    @Override
    public ActionDescriptor descriptor() {
      Map<String, InputSpec> inputs = new LinkedHashMap<>();
      inputs.put("command", InputSpec.optional("command", InputType.SHELL, "a shell line"));
      inputs.put("argv", InputSpec.optional("argv", InputType.LIST, "argv"));
      inputs.put("count", InputSpec.optional("count", InputType.INT, "a number"));
      inputs.put("node", InputSpec.optional("node", InputType.TARGET, "a target"));
      return new ActionDescriptor("cmd", "a fake command", "command", inputs, true);
    }

    @Override
    public PlannedAction preview(ActionRequest request) {
      previewed.add(request);
      dev.runbook.api.ShellScript script = request.shell("command");
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
