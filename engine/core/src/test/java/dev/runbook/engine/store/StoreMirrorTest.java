package dev.runbook.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.Sleeper;
import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.TestRuns;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.audit.TrailMirror;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's trail copied to a shared store as it is written, and resumed from that copy in another
 * state directory (another server). The store here is a second state directory behind the same
 * {@link TrailStore} interface ({@link DirectoryStore}); the PostgreSQL store is tested the same
 * way in stores/postgresql and by ServeScaleOutIT. Actions are the FAKE plugin's, which record each
 * request, so a step run twice would show.
 */
class StoreMirrorTest {

  private static final Runbook PAUSES =
      TestRunbooks.valid(
          """
          runbook: mirrored
          title: Restart, ask, then change
          steps:
            - id: look
              cmd: echo look
              changes: false
            - id: restart
              cmd: systemctl restart thing
              idempotent: false
            - id: cleared
              ask: Is the alarm cleared?
              yes: done
              no: renew
            - id: renew
              cmd: sh renew.sh
              idempotent: false
            - id: done
              end: resolved
          """);

  @TempDir Path serverA;
  @TempDir Path serverB;
  @TempDir Path storeDir;

  private TrailStore store;

  @BeforeEach
  void setUp() {
    TestRunbooks.PLUGIN.executed.clear();
    store = new DirectoryStore(storeDir).trails();
  }

  private TrailMirror mirror(TrailFence fence) {
    return new StoreMirror(store, fence, null, Duration.ofSeconds(1), Sleeper.REAL);
  }

  @Test
  void theStoreGetsEveryLineByteForByteAndItsCopyVerifies() throws IOException {
    TestRuns.Finished run =
        TestRuns.run(
            serverA,
            PAUSES,
            Map.of(),
            TestRuns.answers(Map.of("cleared", "no")),
            mirror(TrailFence.NONE));
    assertThat(run.result().outcome()).isEqualTo(Outcome.RESOLVED);

    RunDirectory copy = stored(run.dir().runId());
    assertThat(Files.readAllBytes(copy.events())).isEqualTo(Files.readAllBytes(run.dir().events()));
    assertThat(Files.readAllBytes(copy.head())).isEqualTo(Files.readAllBytes(run.dir().head()));
    assertThat(AuditVerifier.verify(copy).verdict()).isEqualTo(AuditVerifier.Verdict.OK);
  }

  @Test
  void anotherServerResumesFromTheStoresCopyAndNothingRunsTwice() throws IOException {
    TestRuns.Finished paused =
        TestRuns.run(
            serverA, PAUSES, Map.of(), TestRuns.answers(Map.of()), mirror(TrailFence.NONE));
    assertThat(paused.result().paused()).isTrue();
    assertThat(TestRunbooks.PLUGIN.executed).hasSize(2); // look, restart
    String runId = paused.dir().runId();

    // Server B has never seen the run: it comes from the store, and goes on there.
    assertThat(Files.exists(RunDirectory.runsRoot(serverB).resolve(runId))).isFalse();
    RunDirectory pulled = TrailPull.pull(store, serverB, runId);
    assertThat(Files.readAllBytes(pulled.events()))
        .isEqualTo(Files.readAllBytes(paused.dir().events()));
    TestRuns.Finished resumed =
        TestRuns.resume(
            serverB,
            PAUSES,
            runId,
            Map.of(),
            TestRuns.answers(Map.of("cleared", "no")),
            mirror(TrailFence.NONE));

    assertThat(resumed.result().outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(TestRunbooks.PLUGIN.executed)
        .extracting(r -> r.shell("command").script())
        .containsExactly("echo look", "systemctl restart thing", "sh renew.sh");
    RunDirectory copy = stored(runId);
    assertThat(Files.readAllBytes(copy.events())).isEqualTo(Files.readAllBytes(pulled.events()));
    assertThat(AuditVerifier.verify(copy).verdict()).isEqualTo(AuditVerifier.Verdict.OK);
    assertThat(AuditTrail.read(copy).events()).anyMatch(e -> e instanceof AuditEvent.Resumed);
    // Server B's state directory holds the run as its own: its ledger records the copy.
    AuditVerifier.StateReport there =
        AuditVerifier.verifyState(
            serverB, RunSummary.runs(serverB), true, AuditVerifier.Options.CHAIN_ONLY);
    assertThat(there.problems()).isEmpty();
    assertThat(there.runs()).allMatch(r -> r.findings().isEmpty());
  }

  @Test
  void aCopyBroughtHereThatIsNotResumedStillVerifiesWithThisLedger() throws IOException {
    TestRuns.Finished paused =
        TestRuns.run(
            serverA, PAUSES, Map.of(), TestRuns.answers(Map.of()), mirror(TrailFence.NONE));
    // Brought to a state directory that had no run yet (a resume refused after it, say)…
    TrailPull.pull(store, serverB, paused.dir().runId());
    AuditVerifier.StateReport there =
        AuditVerifier.verifyState(
            serverB, RunSummary.runs(serverB), true, AuditVerifier.Options.CHAIN_ONLY);
    assertThat(there.problems()).isEmpty();
    assertThat(there.runs()).hasSize(1).allMatch(r -> r.findings().isEmpty());
    // …and then runs made there: the ledger holds both.
    TestRuns.run(serverB, PAUSES, Map.of(), TestRuns.answers(Map.of("cleared", "yes")));
    there =
        AuditVerifier.verifyState(
            serverB, RunSummary.runs(serverB), true, AuditVerifier.Options.CHAIN_ONLY);
    assertThat(there.problems()).isEmpty();
    assertThat(there.runs()).hasSize(2).allMatch(r -> r.findings().isEmpty());
  }

  @Test
  void aStaleLocalCopyIsReplacedByTheStoresAndAnAheadOneIsKept() throws IOException {
    TestRuns.Finished paused =
        TestRuns.run(
            serverA, PAUSES, Map.of(), TestRuns.answers(Map.of()), mirror(TrailFence.NONE));
    String runId = paused.dir().runId();
    byte[] atPause = Files.readAllBytes(paused.dir().events());
    // Server B takes it over and finishes it; server A's copy is now behind the store's.
    TrailPull.pull(store, serverB, runId);
    TestRuns.resume(
        serverB,
        PAUSES,
        runId,
        Map.of(),
        TestRuns.answers(Map.of("cleared", "yes")),
        mirror(TrailFence.NONE));

    RunDirectory back = TrailPull.pull(store, serverA, runId);
    assertThat(Files.readAllBytes(back.events()))
        .isEqualTo(Files.readAllBytes(stored(runId).events()))
        .isNotEqualTo(atPause);
    // A copy with every stored line and more (not yet copied when its run stopped) stays.
    Files.write(back.events(), "{\"seq\":99}\n".getBytes(), StandardOpenOption.APPEND);
    byte[] ahead = Files.readAllBytes(back.events());
    TrailPull.pull(store, serverA, runId);
    assertThat(Files.readAllBytes(back.events())).isEqualTo(ahead);
  }

  @Test
  void aStoredFileThatIsNotAStepOutputIsNeverWrittenHere() throws IOException {
    TestRuns.Finished paused =
        TestRuns.run(
            serverA, PAUSES, Map.of(), TestRuns.answers(Map.of()), mirror(TrailFence.NONE));
    String runId = paused.dir().runId();
    for (String name :
        List.of("events.head", "outputs/../events.jsonl", "../../planted", "/tmp/x")) {
      assertThatThrownBy(() -> TrailPull.pull(new Planted(store, name), serverB, runId))
          .as(name)
          .hasMessageContaining("which is not outputs/NAME");
    }
    assertThat(Files.exists(RunDirectory.runsRoot(serverB).resolve(runId).resolve("events.jsonl")))
        .isFalse();
    assertThat(Files.exists(serverB.resolve("planted"))).isFalse();
  }

  @Test
  void aFencedWriteStopsTheRunBeforeItsNextUnsafeStep() {
    AtomicInteger writes = new AtomicInteger();
    // The lease is taken over after the first write (run.started): the next is the start of
    // 'restart', which must reach the store before the step runs.
    TrailFence fence =
        alarm -> {
          if (writes.incrementAndGet() > 1) {
            throw new FencedException("taken over by server-b");
          }
          return null;
        };
    assertThatThrownBy(
            () ->
                TestRuns.run(serverA, PAUSES, Map.of(), TestRuns.answers(Map.of()), mirror(fence)))
        .hasStackTraceContaining("taken over by server-b");
    // 'restart' did not run here: its start could not be stored, so whoever took the run over
    // would not know it had run, and might run it again.
    assertThat(TestRunbooks.PLUGIN.executed)
        .extracting(r -> r.shell("command").script())
        .doesNotContain("systemctl restart thing");
  }

  @Test
  void aStoreThatStaysDownFailsTheWriteAfterItsPatience() {
    AtomicInteger attempts = new AtomicInteger();
    TrailStore down = new Unreachable(new DirectoryStore(storeDir).trails(), attempts);
    TrailMirror mirror =
        new StoreMirror(down, TrailFence.NONE, null, Duration.ofMillis(600), d -> {});
    assertThatThrownBy(() -> mirror.write("r1", 1, List.of(new byte[] {'{', '}'}), Map.of(), null))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("tried");
    assertThat(attempts.get()).isGreaterThan(1);
  }

  @Test
  void aNewRunNeverTakesAnIdTheStoreHas() throws IOException {
    List<String> asked = new ArrayList<>();
    // The store has every id drawn first: the fourth is free.
    RunDirectory fresh =
        RunDirectory.create(
            serverA,
            Clock.systemUTC(),
            id -> {
              asked.add(id);
              return asked.size() < 4;
            });
    assertThat(asked).hasSize(4).doesNotHaveDuplicates();
    assertThat(fresh.runId()).isEqualTo(asked.get(3)).matches("\\d{8}-\\d{6}-[0-9a-f]{8}");
  }

  private RunDirectory stored(String runId) {
    return new RunDirectory(runId, RunDirectory.runsRoot(storeDir).resolve(runId));
  }

  /** A store that passes every call to another; the stores below change one thing each. */
  private static class Wrapping implements TrailStore {
    final TrailStore real;

    Wrapping(TrailStore real) {
      this.real = real;
    }

    @Override
    public void append(String runId, long seq, byte[] line, Lease fence) throws IOException {
      real.append(runId, seq, line, fence);
    }

    @Override
    public void putHead(String runId, byte[] head, Lease fence) throws IOException {
      real.putHead(runId, head, fence);
    }

    @Override
    public void putFile(String runId, String name, byte[] content, Lease fence) throws IOException {
      real.putFile(runId, name, content, fence);
    }

    @Override
    public List<byte[]> lines(String runId) throws IOException {
      return real.lines(runId);
    }

    @Override
    public byte[] head(String runId) throws IOException {
      return real.head(runId);
    }

    @Override
    public List<String> fileNames(String runId) throws IOException {
      return real.fileNames(runId);
    }

    @Override
    public byte[] file(String runId, String name) throws IOException {
      return real.file(runId, name);
    }

    @Override
    public List<String> runIds() throws IOException {
      return real.runIds();
    }
  }

  /** A store whose writes always find the database out of reach. */
  private static final class Unreachable extends Wrapping {
    private final AtomicInteger attempts;

    Unreachable(TrailStore real, AtomicInteger attempts) {
      super(real);
      this.attempts = attempts;
    }

    @Override
    public void append(String runId, long seq, byte[] line, Lease fence) throws IOException {
      attempts.incrementAndGet();
      throw new StoreUnavailableException("cannot connect", null);
    }
  }

  /** A store with a row naming a file the engine never writes (edited in the database). */
  private static final class Planted extends Wrapping {
    private final String name;

    Planted(TrailStore real, String name) {
      super(real);
      this.name = name;
    }

    @Override
    public List<String> fileNames(String runId) {
      return List.of(name);
    }

    @Override
    public byte[] file(String runId, String file) {
      return "planted\n".getBytes(StandardCharsets.UTF_8);
    }
  }
}
