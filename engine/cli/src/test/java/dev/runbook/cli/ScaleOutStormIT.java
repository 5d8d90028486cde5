package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.postgresql.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's storm: 1,000 distinct alerts through Alertmanager's webhook into three {@code runbook
 * serve} child JVMs sharing one real PostgreSQL (short leases, four workers each, each its own
 * state directory), every fifth alert sent to two servers at once as Alertmanager in HA does,
 * retried on 503 and on connections that fail. Mid-storm one server is killed with SIGKILL, another
 * frozen with SIGSTOP for longer than its lease and woken with SIGCONT, and PostgreSQL is stopped
 * for a few seconds and started again on its data directory. Then, once every alert is terminal in
 * the shared queue: no alert a server answered 2xx for is missing, no alert got two runs, the
 * unsafe step's side effect happened at most once per alert (exactly once for every alert that
 * ended resolved), and every trail verifies.
 *
 * <p>It found, before they were fixed on main: a server frozen after its run began but before the
 * run's id reached the store, taken over and run again elsewhere, then woken, wrote unfenced and
 * ran its own copy too (two runs, two side effects; 2 runs of 4); and a run resumed from the
 * store's trail had no line in the new holder's ledger, so {@code audit verify} there said ALTERED.
 */
class ScaleOutStormIT {

  private static final int SERVERS = 3;
  private static final int ALERTS = 1000;
  private static final int WORKERS = 4;
  private static final int TWICE_EVERY = 5;
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration PACE = Duration.ofMillis(15);
  private static final Duration DRAIN = Duration.ofSeconds(150);

  @TempDir Path dir;

  @Test
  void aThousandAlertsThroughAKillAFreezeAndADatabaseRestart() throws Exception {
    assumeTrue(PostgresServer.installed(), "PostgreSQL 15 (Debian's postgresql) is not installed");
    Path library = Files.createDirectories(dir.resolve("runbooks"));
    Path marks = Files.createDirectories(dir.resolve("marks"));
    StormRunbook.write(library, marks, Boolean.getBoolean("storm.breakUnsafeStep"));

    try (PostgresServer pg = PostgresServer.start();
        ServeCluster cluster =
            ServeCluster.start(dir, pg.url(), library, SERVERS, WORKERS, LEASE)) {
      AlertStorm storm = new AlertStorm(cluster.urls(), StormRunbook.ALARM);
      ExecutorService sending = Executors.newSingleThreadExecutor();
      List<String> story = new ArrayList<>();
      long began = System.nanoTime();
      try {
        Future<?> sent =
            sending.submit(
                () -> {
                  storm.send(ALERTS, TWICE_EVERY, PACE, 8);
                  return null;
                });
        int killed = 0;
        int frozen = 1;
        int alive = 2;

        // The chaos, each at a point of the storm (alerts accepted so far), each wait bounded.
        awaitAccepted(storm, ALERTS / 5);
        cluster.kill(killed);
        story.add(at(began) + "server-" + killed + " killed (SIGKILL)");

        awaitAccepted(storm, 2 * ALERTS / 5);
        cluster.freeze(frozen);
        story.add(at(began) + "server-" + frozen + " frozen (SIGSTOP)");
        // Frozen for twice the lease: its leases lapse and the others may take its alerts over.
        Thread.sleep(LEASE.multipliedBy(2).plusSeconds(1).toMillis());
        cluster.thaw(frozen);
        story.add(at(began) + "server-" + frozen + " woken (SIGCONT)");

        awaitAccepted(storm, 3 * ALERTS / 5);
        pg.stop();
        story.add(at(began) + "PostgreSQL stopped");
        Thread.sleep(4_000); // down for a few seconds, longer than a lease
        pg.startServer();
        story.add(at(began) + "PostgreSQL started again (same port, same data directory)");

        sent.get(300, TimeUnit.SECONDS);
        story.add(at(began) + "every alert sent");
        assertThat(storm.gaveUp()).as("alerts no server took within their deadline").isZero();
        assertThat(storm.acceptedCount()).isEqualTo(ALERTS);

        String url = cluster.urls().get(alive);
        Eventually.within(
            DRAIN,
            "every alert to be terminal in the shared queue",
            () -> storm.terminalCount(url) == ALERTS);
        double drained = (System.nanoTime() - began) / 1e9;
        story.add(at(began) + "every alert terminal");

        // Everything is read first and the figures printed, then asserted: a failure still
        // leaves the whole picture in the output.
        Map<String, JsonNode> queue = storm.queue(url);
        assertThat(queue).as("the shared queue, listed by server-%d", alive).isNotNull();
        Map<Integer, String> accepted = storm.accepted();
        List<Path> states = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
          states.add(cluster.state(i));
        }
        // The store's copy of every trail, written out as a state directory (audit verify reads
        // directories only): a run resumed on another server keeps its id, in both.
        Path exported = dir.resolve("store-trails");
        int inStore = ServeCluster.exportTrails(pg.url(), exported);
        states.add(exported);
        StormRunbook.Census census = StormRunbook.Census.of(states);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Integer> lost = new ArrayList<>();
        Map<Integer, Integer> sideEffectsTwice = new TreeMap<>();
        List<String> resolvedWithoutOneSideEffect = new ArrayList<>();
        List<String> resolvedNotItsRun = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int paused = 0;
        for (int n = 0; n < ALERTS; n++) {
          JsonNode record = queue.get(accepted.get(n));
          if (!AlertStorm.terminal(record)) {
            lost.add(n);
            continue;
          }
          String state = record.path("state").asText();
          String outcome = record.path("outcome").asText();
          outcomes.merge(state + "/" + outcome, 1, Integer::sum);
          if (outcome.equals("error")) {
            errors.add(n + ": " + record.path("reason").asText());
            System.out.println(
                "scale-out storm, alert " + n + " ended error: " + record.path("reason").asText());
          }
          paused += state.equals("PAUSED") ? 1 : 0;
          int lines = StormRunbook.marks(marks, n);
          if (lines > 1) {
            sideEffectsTwice.put(n, lines);
          }
          if (state.equals("ENDED") && outcome.equals("resolved")) {
            Set<String> runs = census.runsByAlert().getOrDefault(n, Set.of());
            if (lines != 1) {
              resolvedWithoutOneSideEffect.add(n + ": " + lines);
            }
            if (!runs.equals(Set.of(record.path("runId").asText()))) {
              resolvedNotItsRun.add(
                  n + ": queue " + record.path("runId").asText() + ", trails " + runs);
            }
          }
        }
        List<String> verified = new ArrayList<>();
        List<Integer> verifyExits = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
          Cli verify = Cli.runRaw("--state-dir", states.get(i).toString(), "audit", "verify");
          verifyExits.add(verify.exitCode());
          verified.add(
              "server-"
                  + i
                  + ": exit "
                  + verify.exitCode()
                  + " ("
                  + lastLine(verify.out() + verify.err())
                  + ")"
                  + notOk(verify.out() + verify.err()));
        }
        // And the runs in the database itself, as `runbook --store URL audit verify` reads them.
        Cli storeVerify = Cli.runRaw("--store", pg.url(), "audit", "verify");
        verified.add(
            "--store: exit "
                + storeVerify.exitCode()
                + " ("
                + lastLine(storeVerify.out() + storeVerify.err())
                + ")"
                + notOk(storeVerify.out() + storeVerify.err()));
        double takenOver = 0;
        for (int i = 0; i < SERVERS; i++) {
          if (i != killed) {
            takenOver += storm.metric(cluster.urls().get(i), "runbook_alerts_taken_over_total");
          }
        }
        AlertStorm.Figures sentFigures = storm.figures();
        System.out.printf(
            "scale-out storm: %d alerts (every %dth sent twice) over %d servers (lease %d s, %d"
                + " workers each); drained in %.1f s; runs that began a step per server %s; alerts"
                + " by state/outcome %s; %d paused for a person; takeovers counted by the"
                + " survivors %.0f; runs cut off before their first step per directory %s; lost %d; alerts with"
                + " two runs %s; side effects twice %s; sender: %d posts, %d answered 503, %d"
                + " refused or reset, %d timed out, %d failovers to the next server%n",
            ALERTS,
            TWICE_EVERY,
            SERVERS,
            LEASE.toSeconds(),
            WORKERS,
            drained,
            census.runsPerState(),
            outcomes,
            paused,
            takenOver,
            census.cutOffPerState(),
            lost.size(),
            census.duplicates(),
            sideEffectsTwice,
            sentFigures.posts(),
            sentFigures.unavailable(),
            sentFigures.refused(),
            sentFigures.timedOut(),
            sentFigures.failedOver());
        System.out.println("scale-out storm, audit verify: " + verified);
        System.out.println("scale-out storm, timeline: " + story);

        // 0 lost: every alert a server answered 2xx for is in the queue, terminal.
        assertThat(lost).as("alerts answered 2xx but not terminal in the queue").isEmpty();
        // Two ways a takeover or a database restart turned a sound run into an 'error' alert,
        // both seen in earlier storms: a run that had ended taken over (its outcome is the
        // trail's), and a trail write retried after its commit reached the database.
        assertThat(errors)
            .as("alerts ended 'error' by a takeover or a database restart")
            .noneMatch(r -> r.contains("already finished") || r.contains("is not the next one"));
        // 0 duplicate runs: one run id per alert among the three servers' trails.
        assertThat(census.duplicates()).as("alerts with two runs").isEmpty();
        // The unsafe step's side effect: at most once, always; exactly once, in the run the queue
        // names, when the alert's run ended resolved.
        assertThat(sideEffectsTwice).as("alerts whose side effect happened twice").isEmpty();
        assertThat(resolvedWithoutOneSideEffect)
            .as("resolved alerts without exactly one side effect")
            .isEmpty();
        assertThat(resolvedNotItsRun).as("resolved alerts whose run is not the queue's").isEmpty();
        // Every trail verifies, per run (the verifier) and as `runbook audit verify` sees each
        // directory and the store (`--store`). The server left alone: every run ok. The killed and
        // the frozen server may hold local copies that do not verify, but only of runs cut off
        // before their first step (a crash cannot be told from a deletion) or of runs that went
        // on from the store on another server (whose trail there verifies): the copy they left
        // was cut when the server died, or when it stopped the run on waking to a lost lease.
        assertThat(census.problems()).as("trails that do not verify").isEmpty();
        Set<String> wentOnOrCutOff = new java.util.HashSet<>(census.cutOff().keySet());
        RunSummary.runs(exported).forEach(run -> wentOnOrCutOff.add(run.runId()));
        assertThat(verifyExits.get(alive)).as("audit verify: %s", verified.get(alive)).isZero();
        for (int i : new int[] {killed, frozen}) {
          assertThat(notOkIds(verified.get(i)))
              .as("audit verify on server-%d: %s", i, verified.get(i))
              .isSubsetOf(wentOnOrCutOff);
        }
        assertThat(storeVerify.exitCode())
            .as("audit verify --store: %s", verified.get(SERVERS))
            .isZero();
        assertThat(inStore).as("runs in the store").isGreaterThanOrEqualTo(ALERTS);
      } catch (AssertionError | RuntimeException e) {
        System.out.println("scale-out storm, timeline: " + story);
        System.out.println(cluster.logs());
        throw e;
      } finally {
        sending.shutdownNow();
      }
    }
  }

  private static void awaitAccepted(AlertStorm storm, int count) {
    Eventually.within(
        Duration.ofSeconds(120),
        count + " alerts to be accepted",
        () -> storm.acceptedCount() >= count);
  }

  private static String at(long began) {
    return "%.1f s: ".formatted((System.nanoTime() - began) / 1e9);
  }

  /**
   * The run ids {@code audit verify} reported ALTERED or TORN, from the lines {@link #notOk} kept.
   */
  private static List<String> notOkIds(String verified) {
    List<String> ids = new ArrayList<>();
    for (String line : verified.lines().skip(1).toList()) {
      String[] words = line.strip().split("\\s+");
      if (words.length > 1 && (words[1].startsWith("ALTERED") || words[1].startsWith("TORN"))) {
        ids.add(words[0]);
      }
    }
    return ids;
  }

  /** The runs {@code audit verify} did not find ok, one per line, for a failure's message. */
  private static String notOk(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.contains(" ALTERED") || line.contains(" TORN")) {
        out.append("\n  ").append(line);
      }
    }
    return out.toString();
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }
}
