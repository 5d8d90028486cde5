package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the repository's runbooks with the real CLI in a child JVM against the Kubernetes mock
 * fixture: a child, so kubectl's discovery cache goes to the test's directory ({@code
 * KUBECACHEDIR}) and the SSH client config comes from the environment, not from $HOME.
 */
record FixtureRunner(Path dir, Path state, Map<String, String> environment) {

  /** What one run printed and how it exited. */
  record Finished(int exitCode, String terminal) {}

  static FixtureRunner in(Path dir, Map<String, String> extraEnvironment) {
    Map<String, String> environment = new java.util.HashMap<>(extraEnvironment);
    environment.put("KUBECACHEDIR", dir.resolve("kube-cache").toString());
    return new FixtureRunner(dir, dir.resolve("state"), Map.copyOf(environment));
  }

  Finished run(String runbook, List<String> options) throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--state-dir",
                state.toString(),
                "--runbooks",
                Cli.LIBRARY.toString(),
                "run",
                runbook));
    args.addAll(options);
    try (ChildJvm cli = ChildJvm.start(Main.class, dir, args, environment)) {
      int exit = cli.waitFor(Duration.ofSeconds(120));
      return new Finished(exit, Files.readString(cli.stdout()) + Files.readString(cli.stderr()));
    }
  }

  /** The only run's events, after {@code runbook audit verify} has passed on its trail. */
  List<AuditEvent> verifiedTrail() throws IOException {
    Cli verify = Cli.runRaw("--state-dir", state.toString(), "audit", "verify");
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    List<RunDirectory> runs = RunSummary.runs(state);
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
