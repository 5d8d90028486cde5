package dev.runbook.plugins.kubectl;

import dev.runbook.api.Action;
import dev.runbook.api.Plugin;
import java.util.List;

/**
 * The {@code kubectl} action: kubectl or oc as argv, JSON output parsed for conditions. It has no
 * transport of its own: a {@code kubectl:} target is a cluster, not a machine, and the engine runs
 * its program on the target's {@code via} (an SSH bastion) or on the engine's own machine.
 */
public final class KubectlPlugin implements Plugin {

  @Override
  public String id() {
    return "kubectl";
  }

  @Override
  public List<Action> actions() {
    return List.of(new KubectlAction());
  }
}
