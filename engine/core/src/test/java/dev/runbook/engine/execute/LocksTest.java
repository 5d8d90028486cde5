package dev.runbook.engine.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.Sleeper;
import dev.runbook.engine.audit.RunDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's {@code lock:} ({@link RunLock}), its trail lock ({@link TrailLock}) and the step
 * processes that hold them after the engine is gone ({@link LockHolders}), against real OS locks:
 * another process holding the engine's kind of lock (a second JVM) and step processes holding a
 * flock (the real {@code flock} program, as steps do).
 */
class LocksTest {

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopWhatWasStarted() throws InterruptedException {
    for (Process process : started) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A clock that only moves when the sleeper sleeps. */
  private static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-12-07T03:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static RunLock acquire(Path state, String key, String holder, Duration wait)
      throws Exception {
    return RunLock.acquire(state, key, holder, wait, Clock.systemUTC(), Sleeper.REAL);
  }

  // --- RunLock ---

  @Test
  void aRunLockIsAFileNamedByTheKeysHashHoldingTheHoldersLine() throws Exception {
    try (RunLock lock = acquire(dir, "host/s3cr3t-node", "run 1 of T by ana", Duration.ZERO)) {
      assertThat(lock.file().getParent()).isEqualTo(dir.resolve("locks"));
      assertThat(lock.file().getFileName().toString())
          .isEqualTo(RunLock.fileName("host/s3cr3t-node"))
          .matches("[0-9a-f]{64}\\.lock")
          .doesNotContain("s3cr3t");
      assertThat(Files.readString(lock.file())).isEqualTo("run 1 of T by ana\n");
    }
    assertThat(RunLock.fileName("a")).isNotEqualTo(RunLock.fileName("b"));
  }

  @Test
  void aSecondRunIsToldWhoHoldsTheLockAndGetsItOnceFreed() throws Exception {
    RunLock first = acquire(dir, "k", "run 1 of T by ana", Duration.ZERO);
    assertThatThrownBy(() -> acquire(dir, "k", "run 2", Duration.ZERO))
        .isInstanceOf(LockHeldException.class)
        .hasMessage("lock 'k' is held by run 1 of T by ana");
    try (RunLock other = acquire(dir, "other", "run 3", Duration.ZERO)) {
      assertThat(other.file()).isNotEqualTo(first.file());
    }
    first.close();
    try (RunLock second = acquire(dir, "k", "run 2", Duration.ZERO)) {
      assertThat(Files.readString(second.file())).isEqualTo("run 2\n");
    }
  }

  @Test
  void aRunWaitsForTheLockUntilItsDeadline() throws Exception {
    RunLock first = acquire(dir, "k", "run 1", Duration.ZERO);
    StepClock clock = new StepClock();
    List<Duration> slept = new ArrayList<>();
    Sleeper sleeper =
        d -> {
          slept.add(d);
          clock.now = clock.now.plus(d);
          if (slept.size() == 3) {
            try {
              first.close();
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    try (RunLock waited =
        RunLock.acquire(dir, "k", "run 2", Duration.ofSeconds(1), clock, sleeper)) {
      assertThat(slept).hasSize(3).containsOnly(Duration.ofMillis(200));
      assertThat(Files.readString(waited.file())).isEqualTo("run 2\n");
    }
  }

  @Test
  void aRunThatWaitedInVainIsRefusedAtItsDeadline() throws Exception {
    try (RunLock first = acquire(dir, "k", "run 1", Duration.ZERO)) {
      StepClock clock = new StepClock();
      List<Duration> slept = new ArrayList<>();
      Sleeper sleeper =
          d -> {
            slept.add(d);
            clock.now = clock.now.plus(d);
          };
      assertThatThrownBy(
              () -> RunLock.acquire(dir, "k", "run 2", Duration.ofMillis(1000), clock, sleeper))
          .isInstanceOf(LockHeldException.class)
          .hasMessage("lock 'k' is held by run 1");
      assertThat(slept).hasSize(5);
    }
  }

  @Test
  void aLockAnotherProcessHoldsNamesTheHolderItRecorded() throws Exception {
    Path file = dir.resolve("locks").resolve(RunLock.fileName("k"));
    Files.createDirectories(file.getParent());
    holdInAnotherProcess(file, "run 9 of T by bo (pid 4242)");
    assertThatThrownBy(() -> acquire(dir, "k", "run 2", Duration.ZERO))
        .isInstanceOf(LockHeldException.class)
        .hasMessage("lock 'k' is held by run 9 of T by bo (pid 4242)");
  }

  @Test
  void aLockAnotherProcessHoldsWithoutAHolderLineSaysSo() throws Exception {
    Path file = dir.resolve("locks").resolve(RunLock.fileName("k"));
    Files.createDirectories(file.getParent());
    holdInAnotherProcess(file, "");
    assertThatThrownBy(() -> acquire(dir, "k", "run 2", Duration.ZERO))
        .hasMessage("lock 'k' is held by another run (no details recorded)");
  }

  @Test
  void aStoppedRunsStepProcessesKeepTheLockUntilTheyEnd() throws Exception {
    Path file;
    try (RunLock lock = acquire(dir, "k", "run 1", Duration.ZERO)) {
      file = lock.file();
    }
    Process step = flock(file);
    assertThatThrownBy(() -> acquire(dir, "k", "run 2", Duration.ZERO))
        .isInstanceOf(LockHeldException.class)
        .hasMessage("lock 'k' is held by " + LockHolders.describe(List.of(step.pid())));
    step.destroyForcibly();
    step.waitFor(10, TimeUnit.SECONDS);
    try (RunLock lock = acquire(dir, "k", "run 2", Duration.ZERO)) {
      assertThat(Files.readString(lock.file())).isEqualTo("run 2\n");
    }
  }

  // --- TrailLock ---

  @Test
  void aTrailLockRefusesASecondWriterAndSaysTheRunIsRunning() throws Exception {
    RunDirectory run = new RunDirectory("20261207-0300-ab12", dir);
    assertThat(TrailLock.isHeld(run)).isFalse();
    assertThat(dir.resolve("run.lock")).as("isHeld never creates the file").doesNotExist();
    try (TrailLock lock = TrailLock.take(run)) {
      assertThat(lock.file()).isEqualTo(dir.resolve("run.lock")).exists();
      assertThat(TrailLock.isHeld(run)).isTrue();
      assertThatThrownBy(() -> TrailLock.take(run))
          .isInstanceOf(TrailLock.Busy.class)
          .hasMessage(
              "run 20261207-0300-ab12 is running or being resumed by another process right now;"
                  + " wait for it to pause or finish ('runbook audit list' shows it as running)");
    }
    assertThat(TrailLock.isHeld(run)).isFalse();
    try (TrailLock again = TrailLock.take(run)) {
      assertThat(again.file()).exists();
    }
  }

  @Test
  void aTrailLockAnotherProcessHoldsIsBusy() throws Exception {
    RunDirectory run = new RunDirectory("r1", dir);
    holdInAnotherProcess(dir.resolve("run.lock"), "");
    assertThat(TrailLock.isHeld(run)).isTrue();
    assertThatThrownBy(() -> TrailLock.take(run))
        .isInstanceOf(TrailLock.Busy.class)
        .hasMessageStartingWith("run r1 is running or being resumed by another process");
  }

  @Test
  void aTrailHeldByAStoppedRunsStepProcessesCannotBeResumedYet() throws Exception {
    RunDirectory run = new RunDirectory("r1", dir);
    TrailLock.take(run).close();
    Process step = flock(dir.resolve("run.lock"));
    assertThat(TrailLock.isHeld(run)).isTrue();
    assertThatThrownBy(() -> TrailLock.take(run))
        .isInstanceOf(TrailLock.Busy.class)
        .hasMessage("run r1 cannot be resumed yet: " + LockHolders.describe(List.of(step.pid())));
    step.destroyForcibly();
    step.waitFor(10, TimeUnit.SECONDS);
    assertThat(TrailLock.isHeld(run)).isFalse();
    try (TrailLock lock = TrailLock.take(run)) {
      assertThat(TrailLock.isHeld(run)).isTrue();
    }
  }

  @Test
  void aTrailLockThatIsASymlinkIsNotFollowed() throws Exception {
    Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "x");
    Path runDir = Files.createDirectories(dir.resolve("run"));
    Files.createSymbolicLink(runDir.resolve("run.lock"), elsewhere);
    assertThat(TrailLock.isHeld(new RunDirectory("r", runDir))).isFalse();
    assertThat(Files.readString(elsewhere)).isEqualTo("x");
  }

  // --- LockHolders ---

  @Test
  void theProcessesHoldingAFlockAreFoundThroughProcLocks() throws Exception {
    Path file = Files.writeString(dir.resolve("lock"), "");
    assertThat(LockHolders.of(file)).isEmpty();
    assertThat(LockHolders.of(dir.resolve("missing"))).isEmpty();
    Process one = flock(file);
    Process two = flock(file);
    assertThat(LockHolders.of(file)).containsExactlyInAnyOrder(one.pid(), two.pid());
    Path other = Files.writeString(dir.resolve("other"), "");
    assertThat(LockHolders.of(other)).isEmpty();
    one.destroyForcibly();
    one.waitFor(10, TimeUnit.SECONDS);
    within(() -> LockHolders.of(file).equals(List.of(two.pid())));
  }

  @Test
  void theEnginesOwnLockIsNotAStepsFlock() throws Exception {
    try (RunLock lock = acquire(dir, "k", "run 1", Duration.ZERO)) {
      assertThat(LockHolders.of(lock.file())).isEmpty();
    }
  }

  @Test
  void theWaitingRunIsToldWhichProcessesHoldTheLock() {
    assertThat(LockHolders.describe(List.of(12L, 34L)))
        .isEqualTo(
            "processes that a stopped run started for a step are still running (pid 12, 34) and"
                + " hold it until they end; the change they make may still be in progress");
  }

  // --- helpers ---

  /** A step's process as the engine starts it: {@code flock -s FILE sleep …}, holding it. */
  private Process flock(Path file) throws Exception {
    Process process =
        new ProcessBuilder("flock", "-s", file.toString(), "sleep", "60")
            .redirectErrorStream(true)
            .start();
    started.add(process);
    within(() -> LockHolders.of(file).contains(process.pid()));
    return process;
  }

  /** Another JVM taking the engine's kind of lock (fcntl, via FileChannel) on the file. */
  private void holdInAnotherProcess(Path file, String holderLine) throws Exception {
    Path source =
        Files.writeString(
            dir.resolve("Holder.java"),
            """
            import java.nio.ByteBuffer;
            import java.nio.channels.FileChannel;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            public class Holder {
              public static void main(String[] args) throws Exception {
                try (FileChannel channel = FileChannel.open(Path.of(args[0]),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                  channel.lock();
                  channel.truncate(0);
                  channel.write(ByteBuffer.wrap(args.length > 1 ? args[1].getBytes() : new byte[0]));
                  System.out.println("held");
                  System.in.read();
                }
              }
            }
            """);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, source.toString(), file.toString()));
    if (!holderLine.isEmpty()) {
      command.add(holderLine);
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    started.add(process);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
    assertThat(line).isEqualTo("held");
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void within(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
