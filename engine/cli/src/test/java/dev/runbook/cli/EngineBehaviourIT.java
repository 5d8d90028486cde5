package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.ChildJvm;
import dev.runbook.fixtures.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a real process shows, through the real CLI and shell: a step's processes stopped at its
 * timeout, a lock held by another engine process and waited for. The engine's semantics (retry,
 * max_visits, fan-out, polls, on_failure …) are tested in-process on events: engine/testkit's
 * {@code dev.runbook.engine.semantics}.
 */
class EngineBehaviourIT {

  @TempDir Path tmp;

  private Path runbooks(String yaml) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(dir.resolve("t.yaml"), yaml);
    return dir;
  }

  @Test
  void aStepPastItsTimeoutIsStoppedAndTyped() throws IOException {
    Path runbooks =
        runbooks(
            """
            runbook: T
            title: hang
            steps:
              - {id: hang, shell: sleep 60, timeout: 300ms}
            """);
    Cli cli = CliRun.state(tmp.resolve("state")).runbooks(runbooks).run("T").inProcess();
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out())
        .contains("✗ failed (timeout): still running after 300 ms; stopped it and its children");
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
    Path state = tmp.resolve("state");
    CliRun run = CliRun.state(state).runbooks(runbooks(yaml)).run("T");
    try (ChildJvm holder = run.param("Host", "node-1").start(tmp)) {
      Eventually.within(
          Duration.ofSeconds(60), "the first run to hold the lock", () -> Files.exists(started));
      // Lock keys compare host names as hosts: NODE-1 is node-1.
      Cli refused = run.param("Host", "NODE-1").inProcess();
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
                      run.param("Host", "node-1").with("--wait-lock", "60s").inProcess()),
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
}
