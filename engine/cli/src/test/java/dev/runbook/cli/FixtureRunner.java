package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.fixtures.openshift.OcStandIn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the repository's runbooks with the real CLI in a child JVM against the Kubernetes mock
 * fixture: a child, so kubectl's discovery cache goes to the test's directory ({@code
 * KUBECACHEDIR}) and the SSH client config comes from the environment, not from $HOME. Every run
 * gets {@code -p Kubeconfig=} the fixture's kubeconfig.
 *
 * @param dir the test's directory: the state directory, kubectl's cache and the child's output
 * @param base {@code --state-dir … --runbooks LIBRARY} and the child's environment
 * @param kubeconfig the fixture's kubeconfig
 */
record FixtureRunner(Path dir, CliRun base, Path kubeconfig) {

  static FixtureRunner in(Path dir, KubernetesFixture fixture, Map<String, String> environment) {
    CliRun base =
        CliRun.state(dir.resolve("state"))
            .library()
            .env(environment)
            .env("KUBECACHEDIR", dir.resolve("kube-cache").toString());
    return new FixtureRunner(dir, base, fixture.kubeconfig());
  }

  /**
   * For the OpenShift runbooks, which call {@code oc} as their documents do: the real kubectl
   * answers to that name ({@code OcStandIn}).
   */
  static FixtureRunner withOc(Path dir, KubernetesFixture fixture) throws IOException {
    return in(dir, fixture, Map.of("PATH", OcStandIn.path(dir)));
  }

  Path state() {
    return dir.resolve("state");
  }

  /** {@code run RUNBOOK -p Kubeconfig=…}, for the test to add to and run ({@link #finish}). */
  CliRun command(String runbook) {
    return base.run(runbook).param("Kubeconfig", kubeconfig);
  }

  /** Runs a command in a child JVM to its end. */
  CliRun.Finished finish(CliRun command) throws IOException, InterruptedException {
    return command.inChild(dir);
  }

  /** The only run's events, after {@code runbook audit verify} has passed on its trail. */
  List<AuditEvent> verifiedTrail() throws IOException {
    Cli verify = CliRun.state(state()).with("audit", "verify").inProcess();
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    List<RunDirectory> runs = RunSummary.runs(state());
    assertThat(runs).hasSize(1);
    return AuditTrail.read(runs.get(0)).events();
  }

  /** The ids of the steps that started, in order ({@code masters-ready@2} …). */
  static List<String> started(List<AuditEvent> events) {
    return events.stream()
        .filter(AuditEvent.StepStarted.class::isInstance)
        .map(e -> ((AuditEvent.StepStarted) e).step())
        .toList();
  }
}
