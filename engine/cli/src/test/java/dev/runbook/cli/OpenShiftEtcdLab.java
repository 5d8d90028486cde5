package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.ShellScript;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.fixtures.kubernetes.OpenShiftResources;
import dev.runbook.fixtures.openshift.OcStandIn;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the OpenShift etcd ITs share: the Kubernetes mock fixture with the OpenShift kinds, the real
 * CLI run in a child JVM (so kubectl's discovery cache goes to the test's directory, not $HOME)
 * with the real kubectl standing in for oc, and the run's verified audit trail.
 */
final class OpenShiftEtcdLab implements AutoCloseable {

  /** The masters of the document's backup and restore examples. */
  static final List<String> MASTERS =
      List.of(
          "ip-10-0-143-125.ec2.internal",
          "ip-10-0-154-194.ec2.internal",
          "ip-10-0-173-171.ec2.internal");

  /** The etcd members of the document's example of an unhealthy member to replace. */
  static final List<String> MEMBERS =
      List.of(
          "ip-10-0-131-183.ec2.internal",
          "ip-10-0-164-97.ec2.internal",
          "ip-10-0-154-204.ec2.internal");

  private final Path dir;
  private final KubernetesFixture fixture;
  private final Path state;
  private final Map<String, String> environment = new HashMap<>();

  OpenShiftEtcdLab(Path dir) throws IOException {
    this.dir = dir;
    this.fixture = KubernetesFixture.start(dir);
    OpenShiftResources.addTo(fixture);
    this.state = dir.resolve("state");
    // The runbooks call oc, as the document does: here the real kubectl answers to that name.
    environment.put("PATH", OcStandIn.path(dir));
  }

  /** Adds a variable to the environment of every later run (RUNBOOK_SSH_CONFIG, say). */
  void environment(String name, String value) {
    environment.put(name, value);
  }

  KubernetesFixture fixture() {
    return fixture;
  }

  /**
   * Forgets the runs so far (their state directory) and the fixture's recorded requests: for tests
   * of one class that share a lab, each of which checks its own run.
   */
  void forgetRuns() throws IOException {
    if (Files.exists(state)) {
      try (Stream<Path> paths = Files.walk(state)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    fixture.clearRequests();
  }

  /** Runs the repository's runbooks in a child JVM with the lab's environment, as it is now. */
  private FixtureRunner runner() {
    return FixtureRunner.in(dir, fixture, environment);
  }

  /** {@code runbook run ID -p Kubeconfig=… ARGS…} against the repository's library. */
  CliRun.Finished run(String runbook, List<String> args) throws IOException, InterruptedException {
    FixtureRunner runner = runner();
    return runner.finish(runner.command(runbook).with(args));
  }

  /** {@code runbook resume RUN ARGS…} for the only run so far (paused for an answer). */
  CliRun.Finished resume(List<String> args) throws IOException, InterruptedException {
    List<RunDirectory> runs = RunSummary.runs(state);
    assertThat(runs).hasSize(1);
    FixtureRunner runner = runner();
    return runner.finish(runner.base().resume(runs.get(0).runId()).with(args));
  }

  /** The only run's events, after checking {@code audit verify} finds no problem. */
  List<AuditEvent> trail() throws IOException {
    return runner().verifiedTrail();
  }

  /** kubectl ARGS… against the fixture, for what the cluster does by itself (controllers). */
  void kubectl(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("kubectl", "--kubeconfig=" + fixture.kubeconfig(), "--request-timeout=10s"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECACHEDIR", dir.resolve("kube-cache").toString());
    Path log = dir.resolve("kubectl-" + System.nanoTime() + ".log");
    Process process =
        builder
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(log.toFile())
            .redirectErrorStream(true)
            .start();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + args + " did not finish in 20 s");
    }
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();
  }

  /** The commands the run rendered, each with its values written in, as a person reads it. */
  List<String> commands() throws IOException {
    return trail().stream()
        .filter(e -> e instanceof AuditEvent.CommandRendered)
        .map(e -> readable((AuditEvent.CommandRendered) e))
        .toList();
  }

  static String readable(AuditEvent.CommandRendered command) {
    Map<String, Object> environment = new LinkedHashMap<>();
    if (command.environment() != null) {
      environment.putAll(command.environment());
    }
    return new ShellScript(command.command(), environment).readable();
  }

  /** Where each step that finished ran ({@code ranOn}), by step, in order. */
  Map<String, String> ranOn() throws IOException {
    Map<String, String> where = new LinkedHashMap<>();
    for (AuditEvent event : trail()) {
      if (event instanceof AuditEvent.StepFinished f && f.ranOn() != null) {
        where.put(f.step(), f.ranOn());
      }
    }
    return where;
  }

  /** How many times the poll whose step path ends with {@code suffix} looked. */
  long pollAttempts(String suffix) throws IOException {
    return trail().stream()
        .filter(e -> e instanceof AuditEvent.WaitProgress w && w.step().endsWith(suffix))
        .count();
  }

  /** The steps that finished with {@code status} (succeeded, failed…), in order. */
  List<String> finished(String status) throws IOException {
    return trail().stream()
        .filter(e -> e instanceof AuditEvent.StepFinished f && f.status().label().equals(status))
        .map(e -> ((AuditEvent.StepFinished) e).step())
        .toList();
  }

  /** The run's outcome and message, from its {@code RunFinished} event. */
  AuditEvent.RunFinished finish() throws IOException {
    return trail().stream()
        .filter(e -> e instanceof AuditEvent.RunFinished)
        .map(e -> (AuditEvent.RunFinished) e)
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("the run did not finish"));
  }

  @Override
  public void close() {
    fixture.close();
  }
}
