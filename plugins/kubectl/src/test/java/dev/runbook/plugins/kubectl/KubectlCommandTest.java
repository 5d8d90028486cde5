package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.ActionRequest;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.Secret;
import dev.runbook.api.Target;
import dev.runbook.api.ValueWord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the preview (and so the dry-run and the audit trail) shows: the exact kubectl argv. */
class KubectlCommandTest {

  private static final Target CLUSTER =
      new Target(
          "cluster",
          "kubectl",
          Map.of(
              "context", "admin",
              "namespace", "openshift-etcd",
              "kubeconfig", "/etc/kube/admin.conf"));

  private final KubectlAction action = new KubectlAction();

  private PlannedAction preview(Target target, Map<String, Object> inputs) {
    return action.preview(new ActionRequest("s", inputs, target, true));
  }

  @Test
  void targetSettingsComeFirstThenTheArgumentsThenTheOutput() {
    PlannedAction planned =
        preview(
            CLUSTER, Map.of("args", List.of("get", "pods", "-l", "app=etcd"), "output", "json"));

    assertThat(planned.command())
        .isEqualTo(
            "kubectl --kubeconfig=/etc/kube/admin.conf --context=admin --namespace=openshift-etcd"
                + " --request-timeout=30s get pods -l app=etcd -o json");
    assertThat(planned.target()).isEqualTo("cluster (kubectl)");
    assertThat(planned.changes()).isFalse();
  }

  @Test
  void theShorthandLineIsSplitAndItsLeadingProgramDropped() {
    PlannedAction planned =
        preview(
            new Target("c", "kubectl", Map.of("binary", "oc")),
            Map.of("command", "oc get nodes -o jsonpath='{.items[*].metadata.name}'"));

    assertThat(planned.command())
        .isEqualTo("oc --request-timeout=30s get nodes -o 'jsonpath={.items[*].metadata.name}'");
  }

  @Test
  void execKeepsTheRemoteCommandLastAndUntouched() {
    PlannedAction planned =
        preview(
            CLUSTER,
            Map.of(
                "args",
                List.of("exec", "etcd-0", "--", "etcdctl", "-o", "json", "member", "list"),
                "output",
                "yaml",
                "timeout",
                Duration.ofMinutes(2)));

    assertThat(planned.command())
        .isEqualTo(
            "kubectl --kubeconfig=/etc/kube/admin.conf --context=admin --namespace=openshift-etcd"
                + " --request-timeout=120s exec etcd-0 -o yaml -- etcdctl -o json member list");
    assertThat(planned.changes()).isTrue();
  }

  @Test
  void waitGetsItsOwnTimeoutUnlessTheArgumentsGiveOne() {
    assertThat(
            preview(
                    Target.LOCAL,
                    Map.of(
                        "command",
                        "wait pod/web --for=condition=Ready",
                        "timeout",
                        Duration.ofSeconds(90)))
                .command())
        .isEqualTo(
            "kubectl --request-timeout=90s wait pod/web --for=condition=Ready --timeout=90s");
    assertThat(
            preview(Target.LOCAL, Map.of("command", "wait pod/web --for=delete --timeout=5m"))
                .command())
        .isEqualTo("kubectl --request-timeout=30s wait pod/web --for=delete --timeout=5m");
  }

  @Test
  void theStepsNamespaceWinsOverTheTargetsAndNeitherIsAddedWhenTheArgumentsChoose() {
    assertThat(preview(CLUSTER, Map.of("command", "get pods", "namespace", "erlclu")).command())
        .contains(" --namespace=erlclu ")
        .doesNotContain("openshift-etcd");
    assertThat(preview(CLUSTER, Map.of("command", "get pods -A")).command())
        .doesNotContain("--namespace");
    assertThat(preview(CLUSTER, Map.of("command", "get pods -n kube-system")).command())
        .isEqualTo(
            "kubectl --kubeconfig=/etc/kube/admin.conf --context=admin --request-timeout=30s get"
                + " pods -n kube-system");
  }

  @Test
  void aServerDryRunIsShownAndChangesNothing() {
    PlannedAction planned =
        preview(
            Target.LOCAL,
            Map.of("args", List.of("apply", "-f", "erlclu.yaml"), "server_dry_run", true));

    assertThat(planned.command())
        .isEqualTo("kubectl --request-timeout=30s apply -f erlclu.yaml --dry-run=server");
    assertThat(planned.changes()).isFalse();
  }

  @Test
  void secretsAreMaskedInThePreviewAndRevealedForTheRun() {
    Map<String, Object> inputs =
        Map.of(
            "args", List.of("create", "secret", "generic", "s", new Secret("--from-literal=p=x")));
    ActionRequest request = new ActionRequest("s", inputs, Target.LOCAL, true);

    assertThat(action.preview(request).command())
        .isEqualTo("kubectl --request-timeout=30s create secret generic s '****'");
    assertThat(KubectlCommand.of(request, false).argv())
        .containsExactly(
            "kubectl",
            "--request-timeout=30s",
            "create",
            "secret",
            "generic",
            "s",
            "--from-literal=p=x");
  }

  @Test
  void inputsThatCannotMakeACommandAreShownAsSuch() {
    assertThat(
            preview(Target.LOCAL, Map.of("command", "get pods -o json", "output", "yaml"))
                .command())
        .isEqualTo(
            "kubectl: give the output format once: input 'output' or -o in the arguments, not"
                + " both");
    assertThat(
            preview(Target.LOCAL, Map.of("command", "get pods", "server_dry_run", true)).command())
        .isEqualTo(
            "kubectl: server_dry_run needs a verb that changes something (apply, create, delete,"
                + " patch …), not 'get'");
  }

  @Test
  void theOutputIsKnownWhereverItWasAsked() {
    assertThat(KubectlCommand.outputIn(List.of("get", "pods", "-o", "json"))).isEqualTo("json");
    assertThat(KubectlCommand.outputIn(List.of("get", "pods", "-ojson"))).isEqualTo("json");
    assertThat(KubectlCommand.outputIn(List.of("get", "pods", "-o=json"))).isEqualTo("json");
    assertThat(KubectlCommand.outputIn(List.of("get", "pods", "--output=name"))).isEqualTo("name");
    assertThat(KubectlCommand.outputIn(List.of("get", "pods"))).isEmpty();
    assertThat(KubectlCommand.verb(List.of("-n", "x", "--context", "c", "get", "pods")))
        .isEqualTo("get");
  }

  @Test
  void exactlyOneOfCommandAndArgs() {
    assertThat(action.checkInputs(Set.of("command", "args")))
        .containsExactly(
            "action 'kubectl' needs exactly one of 'command' (one line) and 'args' (a list)");
    assertThat(action.checkInputs(Set.of("output")))
        .containsExactly(
            "action 'kubectl' needs exactly one of 'command' (one line) and 'args' (a list)");
    assertThat(action.checkInputs(Set.of("args", "output"))).isEmpty();
  }

  @Test
  void aLeadingDashDashKeepsEverythingAfterItOnceAndLast() {
    ActionRequest request =
        new ActionRequest("s", Map.of("args", List.of("--", "x")), Target.LOCAL, true);
    KubectlCommand command = KubectlCommand.of(request, true);
    assertThat(command.argv()).containsExactly("kubectl", "--request-timeout=30s", "--", "x");
    assertThat(command.verb()).isEmpty();
  }

  @Test
  void onlyFlagsHaveNoVerbAndATrailingOutputFlagNoFormat() {
    assertThat(KubectlCommand.verb(List.of("-A"))).isEmpty();
    assertThat(KubectlCommand.verb(List.of("--context", "c"))).isEmpty();
    assertThat(KubectlCommand.outputIn(List.of("get", "pods", "-o"))).isEmpty();
    assertThat(KubectlCommand.outputIn(List.of("get", "pods", "--output"))).isEmpty();
    assertThat(KubectlCommand.outputIn(List.of("get", "--output", "yaml"))).isEqualTo("yaml");
  }

  @Test
  void aSecretNamespaceIsMaskedInThePreviewOnly() {
    ActionRequest request =
        new ActionRequest(
            "s",
            Map.of("command", "get pods", "namespace", new Secret("team-hidden")),
            Target.LOCAL,
            true);
    assertThat(KubectlCommand.of(request, true).argv()).contains("--namespace=****");
    assertThat(KubectlCommand.of(request, false).argv()).contains("--namespace=team-hidden");
  }

  @Test
  void aWordAValueBeginsNeverSetsAFlagTheTargetOwns() {
    // each hostile word, and the flag the refusal names (a glued short flag by its two letters)
    Map<String, String> hostiles = new LinkedHashMap<>();
    hostiles.put("--namespace=kube-system", "--namespace");
    hostiles.put("--namespace", "--namespace");
    hostiles.put("-nkube-system", "-n");
    hostiles.put("-n", "-n");
    hostiles.put("-A", "-A");
    hostiles.put("--all-namespaces", "--all-namespaces");
    hostiles.put("--kubeconfig=/tmp/other", "--kubeconfig");
    hostiles.put("--context=prod", "--context");
    hostiles.put("--server=https://127.0.0.2:6443", "--server");
    hostiles.put("-shttps://127.0.0.2", "-s");
    hostiles.put("--insecure-skip-tls-verify", "--insecure-skip-tls-verify");
    hostiles.put("--token=stolen", "--token");
    hostiles.put("--as=system:admin", "--as");
    hostiles.forEach(
        (hostile, flag) -> {
          String shown =
              preview(CLUSTER, Map.of("command", List.of("delete", "pod", new ValueWord(hostile))))
                  .command();
          assertThat(shown)
              .as(hostile)
              .isEqualTo(
                  "kubectl: a value may not set kubectl's "
                      + flag
                      + ": the cluster, credentials and namespace are the target's (give a"
                      + " namespace with the step's 'namespace' input or the target's settings)");
        });
    // the runbook's own words may choose (its author decided), and a value may carry other options
    // or be an operand after --
    assertThat(
            preview(CLUSTER, Map.of("command", List.of("get", "pods", "-n", new ValueWord("x"))))
                .command())
        .endsWith(" get pods -n x");
    assertThat(
            preview(CLUSTER, Map.of("command", List.of("logs", "web", new ValueWord("--previous"))))
                .command())
        .contains(" --namespace=openshift-etcd ")
        .endsWith(" logs web --previous");
    assertThat(
            preview(
                    CLUSTER,
                    Map.of(
                        "command",
                        List.of("exec", "web", "--", "sh", new ValueWord("--namespace=x"))))
                .command())
        .endsWith(" exec web -- sh --namespace=x");
  }
}
