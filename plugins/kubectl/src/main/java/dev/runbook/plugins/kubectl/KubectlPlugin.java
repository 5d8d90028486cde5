package dev.runbook.plugins.kubectl;

import dev.runbook.api.Action;
import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.api.Plugin;
import dev.runbook.api.TargetKind;
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
  public List<TargetKind> targetKinds() {
    return List.of(
        TargetKind.client(
                "kubectl",
                List.of(
                    InputSpec.optional("context", InputType.TEXT, "the kubeconfig context"),
                    InputSpec.optional("namespace", InputType.TEXT, "the default namespace"),
                    InputSpec.optional("kubeconfig", InputType.TEXT, "the kubeconfig file"),
                    InputSpec.optional("binary", InputType.TEXT, "kubectl (default) or oc"),
                    InputSpec.optional(
                        TargetKind.VIA,
                        InputType.TARGET,
                        "the target kubectl runs on (a bastion); default the engine's machine")),
                "a Kubernetes or OpenShift cluster, reached with kubectl or oc")
            .withChoices("binary", "kubectl", "oc"));
  }

  @Override
  public List<Action> actions() {
    return List.of(new KubectlAction());
  }
}
