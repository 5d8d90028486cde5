package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.ChildJvm;
import dev.runbook.fixtures.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run in a child JVM, killed with SIGKILL by PID at chosen points, then resumed. The log
 * file the steps append to shows exactly which commands ran, and how often.
 */
class CrashResumeIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private Path state;
  private Path runbooks;
  private Path work;

  @BeforeEach
  void setUp() throws IOException {
    state = tmp.resolve("state");
    work = Files.createDirectories(tmp.resolve("work"));
    runbooks = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(
        runbooks.resolve("crash.yaml"),
        """
        runbook: CRASH-1
        title: Steps a crash can cut off
        lock: crash/${params.Dir}
        params:
          Dir: {type: path, required: true}
          Nap: {type: duration, default: 0s}
        steps:
          - id: first
            shell: echo first >> ${params.Dir}/log
          - {id: nap, sleep: "${params.Nap}"}
          - id: unsafe
            shell: %s
          - id: safe
            idempotent: true
            shell: %s
          - id: last
            shell: echo last >> ${params.Dir}/log
        """
            .formatted(blocking("unsafe"), blocking("safe")));
  }

  /** A command that logs its start, says it is running, and waits (bounded) to be released. */
  private static String blocking(String name) {
    return "echo start-"
        + name
        + " >> ${params.Dir}/log; touch ${params.Dir}/in-"
        + name
        + "; for i in $(seq 1 1200); do [ -f ${params.Dir}/release-"
        + name
        + " ] && break; sleep 0.05; done;"
        + " echo end-"
        + name
        + " >> ${params.Dir}/log";
  }

  private ChildJvm start(String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--state-dir",
                state.toString(),
                "--runbooks",
                runbooks.toString(),
                "run",
                "CRASH-1",
                "-p",
                "Dir=" + work));
    args.addAll(List.of(extra));
    return ChildJvm.start(Main.class, tmp, args);
  }

  private Cli resume(String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--state-dir",
                state.toString(),
                "--runbooks",
                runbooks.toString(),
                "resume",
                run().runId()));
    args.addAll(List.of(extra));
    return Cli.runRaw(args.toArray(String[]::new));
  }

  private RunDirectory run() throws IOException {
    List<RunDirectory> runs = RunSummary.runs(state);
    assertThat(runs).hasSize(1);
    return runs.get(0);
  }

  private List<String> log() throws IOException {
    return Files.readAllLines(work.resolve("log"));
  }

  private void awaitFile(String name) {
    Eventually.within(DEADLINE, name + " to appear", () -> Files.exists(work.resolve(name)));
  }

  private void release(String... names) throws IOException {
    for (String name : names) {
      Files.createFile(work.resolve("release-" + name));
    }
  }

  @Test
  void aNonIdempotentStepCutOffIsNotRunAgainWithoutAPersonSayingSo() throws Exception {
    try (ChildJvm child = start()) {
      awaitFile("in-unsafe");
      // The run holds its lock: a second run of the same change is refused while it lives.
      Cli second =
          Cli.runRaw(
              "--state-dir",
              state.toString(),
              "--runbooks",
              runbooks.toString(),
              "run",
              "CRASH-1",
              "-p",
              "Dir=" + work);
      assertThat(second.exitCode()).as(second.out() + second.err()).isEqualTo(ExitCodes.LOCKED);
      assertThat(second.err()).contains("lock 'crash/" + work + "' is held by");
      child.kill();
    }
    assertThat(RunSummary.of(run()).status()).isEqualTo("stopped");
    // SIGKILL between two events leaves a whole trail (each line is written whole): nothing is
    // cut off, and the verifier says so rather than finding nothing to say by accident.
    assertThat(AuditVerifier.verify(run()).problems()).isEmpty();
    assertThat(AuditVerifier.verify(run()).ok()).isTrue();

    Cli paused = resume();
    assertThat(paused.exitCode()).as(paused.out() + paused.err()).isEqualTo(ExitCodes.PAUSED);
    assertThat(paused.out()).contains("Step 'unsafe' was running when the run stopped");
    assertThat(log()).containsExactly("first", "start-unsafe");

    release("unsafe", "safe");
    Cli resumed = resume("--answer", "unsafe=yes");
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.OK);
    assertThat(log())
        .containsExactly(
            "first",
            "start-unsafe",
            "start-unsafe",
            "end-unsafe",
            "start-safe",
            "end-safe",
            "last");
    List<AuditEvent> events = AuditTrail.read(run()).events();
    assertThat(events)
        .filteredOn(AuditEvent.Resumed.class::isInstance)
        .first()
        .satisfies(r -> assertThat(((AuditEvent.Resumed) r).inDoubt()).containsExactly("unsafe@1"));
    assertThat(events)
        .contains(
            new AuditEvent.Answered(
                "unsafe@1",
                "Step 'unsafe' was running when the run stopped, so it"
                    + " may or may not have taken effect, and it is not marked idempotent. Run it again? (no: count it as failed)",
                "run again",
                Runs.operator(),
                "--answer",
                null,
                Runs.osUser()));
    assertThat(AuditVerifier.verify(run()).problems()).isEmpty();
  }

  @Test
  void anIdempotentStepCutOffRunsAgainByItself() throws Exception {
    release("unsafe");
    try (ChildJvm child = start()) {
      awaitFile("in-safe");
      child.kill();
    }
    release("safe");
    Cli resumed = resume();
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.OK);
    assertThat(log())
        .containsExactly(
            "first", "start-unsafe", "end-unsafe", "start-safe", "start-safe", "end-safe", "last");
    assertThat(AuditVerifier.verify(run()).problems()).isEmpty();
  }

  @Test
  void answeringNoCountsTheCutOffStepAsFailed() throws Exception {
    try (ChildJvm child = start()) {
      awaitFile("in-unsafe");
      child.kill();
    }
    Cli resumed = resume("--answer", "unsafe=no");
    assertThat(resumed.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(resumed.out())
        .contains(
            "FAILED: step 'unsafe' failed: interrupted: cut off by a crash and not run again");
    assertThat(log()).containsExactly("first", "start-unsafe");
  }

  @Test
  void aRunKilledDuringASleepSleepsOnlyTheRestAfterResume() throws Exception {
    release("unsafe", "safe");
    try (ChildJvm child = start("-p", "Nap=4s")) {
      // The first progress event comes once at least a second of the nap has passed.
      Eventually.within(
          DEADLINE,
          "a second of the nap to pass",
          () ->
              events().stream()
                  .anyMatch(
                      e -> e instanceof AuditEvent.WaitProgress w && w.step().equals("nap@1")));
      child.kill();
    }
    Cli resumed = resume();
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.OK);
    AuditEvent.StepFinished nap =
        events().stream()
            .filter(e -> e instanceof AuditEvent.StepFinished f && f.step().equals("nap@1"))
            .map(AuditEvent.StepFinished.class::cast)
            .findFirst()
            .orElseThrow();
    // Only the rest of the nap is slept: at most 3 s of the 4 s (a second had passed) ...
    assertThat(nap.durationMs()).isLessThan(3500);
    // ... but all of the rest: the nap ends no earlier than 4 s after it first began (a resume
    // that skipped the rest of the sleep, or started it anew from its own clock, fails one of the
    // two). Trail times have millisecond precision.
    List<AuditTrail.Line> lines = AuditTrail.read(run()).lines();
    Instant napStarted =
        timeOf(lines, l -> l instanceof AuditEvent.StepStarted s && s.step().equals("nap@1"));
    Instant napEnded =
        timeOf(lines, l -> l instanceof AuditEvent.StepFinished f && f.step().equals("nap@1"));
    Instant resumedAt = timeOf(lines, l -> l instanceof AuditEvent.Resumed);
    assertThat(Duration.between(napStarted, resumedAt).toMillis())
        .as("the resume came after the nap began")
        .isBetween(1000L, 3999L);
    assertThat(Duration.between(napStarted, napEnded).toMillis()).isGreaterThanOrEqualTo(3999L);
    assertThat(Collections.frequency(log(), "first")).isEqualTo(1);
    assertThat(log()).endsWith("last");
  }

  /** When the first line whose event matches was written. */
  private static Instant timeOf(List<AuditTrail.Line> lines, Predicate<AuditEvent> which) {
    return lines.stream()
        .filter(l -> which.test(l.event()))
        .findFirst()
        .orElseThrow()
        .time()
        .orElseThrow();
  }

  private List<AuditEvent> events() {
    try {
      return Files.exists(state.resolve("runs")) && !RunSummary.runs(state).isEmpty()
          ? AuditTrail.read(run()).events()
          : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }
}
