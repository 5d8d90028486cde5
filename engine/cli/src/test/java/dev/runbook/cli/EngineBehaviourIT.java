package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.ChildJvm;
import dev.runbook.fixtures.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine behaviours through the real CLI and shell, one small runbook each. */
class EngineBehaviourIT {

  @TempDir Path tmp;

  private Cli run(String yaml, String... args) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(dir.resolve("t.yaml"), yaml);
    List<String> all =
        new ArrayList<>(
            List.of(
                "--state-dir",
                tmp.resolve("state").toString(),
                "--runbooks",
                dir.toString(),
                "run",
                "T"));
    all.addAll(List.of(args));
    return Cli.runRaw(all.toArray(String[]::new));
  }

  private List<AuditEvent> lastTrail() throws IOException {
    List<dev.runbook.engine.audit.RunDirectory> runs = RunSummary.runs(tmp.resolve("state"));
    return AuditTrail.read(runs.get(runs.size() - 1)).events();
  }

  @Test
  void retriesARetryableFailureUntilItSucceeds() throws IOException {
    Path counter = tmp.resolve("count");
    Cli cli =
        run(
            """
        runbook: T
        title: flaky
        steps:
          - id: flaky
            shell: echo x >> %s; test $(wc -l < %s) -ge 3
            retry: {attempts: 4, delay: 10ms}
        """
                .formatted(counter, counter));
    assertThat(cli.exitCode()).as(cli.out()).isZero();
    assertThat(Files.readAllLines(counter)).hasSize(3);
    assertThat(lastTrail())
        .filteredOn(e -> e instanceof AuditEvent.StepStarted s && s.stepId().equals("flaky"))
        .extracting(e -> ((AuditEvent.StepStarted) e).attempt())
        .containsExactly(1, 2, 3);
  }

  @Test
  void aLoopThatDoesNotConvergeStopsAtMaxVisits() throws IOException {
    Cli cli =
        run(
            """
        runbook: T
        title: loop
        steps:
          - id: pending
            shell: "true"
            if: result.exitCode == 0
            yes: approve
            no: {end: resolved}
          - id: approve
            shell: "true"
            max_visits: 3
            next: pending
        """);
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out())
        .contains(
            "FAILED: step 'approve' failed: limit-reached: step 'approve' would run a 4th time,"
                + " more than its max_visits (3): the loop did not converge");
  }

  @Test
  void aFailingItemFailsTheFanOutAndOnFailureCatchesIt() throws IOException {
    Cli cli =
        run(
            """
        runbook: T
        title: fan-out
        params: {Hosts: {type: hosts, default: "a,b,c,d"}}
        procedures:
          check:
            inputs: {host: {type: string, required: true}}
            steps:
              - {id: probe, shell: "test ${inputs.host} != c"}
        steps:
          - id: each
            foreach: ${params.Hosts}
            as: host
            parallel: 3
            call: check
            with: {host: "${host}"}
            on_failure: {end: escalated, message: an item failed}
        """);
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.ESCALATED);
    List<AuditEvent> events = lastTrail();
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.StepFinished f && f.step().equals("each@1"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(((AuditEvent.StepFinished) e).message())
                    .isEqualTo("1 of 4 items failed: c (probe: exited with status 1)"));
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.StepStarted s && s.stepId().equals("probe"))
        .hasSize(4);
  }

  @Test
  void aPollWithoutANoBranchFailsWhenTimeRunsOut() throws IOException {
    Cli cli =
        run(
            """
        runbook: T
        title: poll
        steps:
          - id: wait-ready
            shell: echo 0
            until: result.stdout == '1'
            every: 100ms
            timeout: 500ms
        """);
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out())
        .contains("failed (timeout): condition 'result.stdout == '1'' not met within 500ms");
    assertThat(lastTrail())
        .filteredOn(AuditEvent.WaitProgress.class::isInstance)
        .hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aStepPastItsTimeoutIsStoppedAndTyped() throws IOException {
    Cli cli =
        run(
            """
        runbook: T
        title: hang
        steps:
          - {id: hang, shell: sleep 60, timeout: 300ms}
        """);
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out())
        .contains("✗ failed (timeout): still running after 300 ms; stopped it and its children");
  }

  @Test
  void anOptionalParameterLeftOutFailsOnlyTheStepThatNeedsIt() throws IOException {
    Cli cli =
        run(
            """
        runbook: T
        title: optional
        params: {Standby: {type: host}}
        targets: {standby: {ssh: "${params.Standby}"}}
        steps:
          - {id: here, shell: "true"}
          - id: there
            on: standby
            shell: "true"
            on_failure: {end: escalated, message: no standby given}
        """);
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(cli.out())
        .contains("✗ failed (config): no value for params.Standby (give it with -p NAME=VALUE)");
  }

  @Test
  void aLockHeldByAnotherProcessIsNamedAndCanBeWaitedFor() throws Exception {
    Path release = tmp.resolve("release");
    Path started = tmp.resolve("started");
    Path log = tmp.resolve("log");
    String yaml =
        """
        runbook: T
        title: locked
        lock: host/${params.Host}
        params: {Host: {type: host, required: true}}
        steps:
          - id: hold
            shell: echo start >> %s; touch %s; for i in $(seq 1 600); do [ -f %s ] && break; sleep 0.05; done; echo end >> %s
        """
            .formatted(log, started, release, log);
    Path dir = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(dir.resolve("t.yaml"), yaml);
    Path state = tmp.resolve("state");
    List<String> run =
        List.of("--state-dir", state.toString(), "--runbooks", dir.toString(), "run", "T");
    try (ChildJvm holder = ChildJvm.start(Main.class, tmp, concat(run, "-p", "Host=node-1"))) {
      Eventually.within(
          Duration.ofSeconds(60), "the first run to hold the lock", () -> Files.exists(started));
      // Lock keys compare host names as hosts: NODE-1 is node-1.
      Cli refused = Cli.runRaw(concat(run, "-p", "Host=NODE-1").toArray(String[]::new));
      assertThat(refused.exitCode()).isEqualTo(ExitCodes.LOCKED);
      assertThat(refused.err())
          .contains("lock 'host/node-1' is held by a new run of T by " + Runs.operator())
          .contains("(pid " + holder.pid() + ",");

      // The waiter starts while the lock is held, and is seen waiting for it ...
      CompletableFuture<Cli> waiter = new CompletableFuture<>();
      Thread thread =
          new Thread(
              () ->
                  waiter.complete(
                      Cli.runRaw(
                          concat(run, "-p", "Host=node-1", "--wait-lock", "60s")
                              .toArray(String[]::new))),
              "waiter");
      thread.start();
      Eventually.within(
          Duration.ofSeconds(60),
          "the waiter to wait for the lock (or give up)",
          () -> waitsForLock(thread) || waiter.isDone());
      assertThat(waiter).as("the waiter gave up instead of waiting").isNotDone();
      // ... and has not started its run: no second run directory, its step never began.
      assertThat(RunSummary.runs(state)).hasSize(1);
      assertThat(Files.readAllLines(log)).containsExactly("start");

      Files.createFile(release);
      Cli waited = waiter.get(60, TimeUnit.SECONDS);
      assertThat(waited.exitCode()).as(waited.out() + waited.err()).isZero();
      assertThat(holder.waitFor(Duration.ofSeconds(60))).isZero();
      // One after the other, never both at once.
      assertThat(Files.readAllLines(log)).containsExactly("start", "end", "start", "end");
      assertThat(RunSummary.runs(state)).hasSize(2);
    }
  }

  /** Whether the thread is inside the lock's wait (RunLock.acquire), seen from its stack. */
  private static boolean waitsForLock(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals("dev.runbook.engine.execute.RunLock")
          && frame.getMethodName().equals("acquire")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }
}
