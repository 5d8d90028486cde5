package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * <p>Before the trails moved to the store (main of 2026-12-07 morning) it failed in 2 of 4 runs: a
 * server frozen after its run began but before the run's id reached the store was taken over and
 * run again elsewhere, and once woken ran its own copy too (two runs, two side effects). On main at
 * f8e00a8 it fails in every run with a takeover: a run the new holder resumed from the store's
 * trail has no line in that server's ledger, so {@code runbook audit verify} there reports it
 * ALTERED ("its directory was not made by a run here").
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
        for (int i = 0; i < states.size(); i++) {
          Cli verify = Cli.runRaw("--state-dir", states.get(i).toString(), "audit", "verify");
          verifyExits.add(verify.exitCode());
          verified.add(
              (i < SERVERS ? "server-" + i : "the store's " + inStore + " trails")
                  + ": exit "
                  + verify.exitCode()
                  + " ("
                  + lastLine(verify.out() + verify.err())
                  + ")"
                  + notOk(verify.out() + verify.err()));
        }
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
        // 0 duplicate runs: one run id per alert among the three servers' trails.
        assertThat(census.duplicates()).as("alerts with two runs").isEmpty();
        // The unsafe step's side effect: at most once, always; exactly once, in the run the queue
        // names, when the alert's run ended resolved.
        assertThat(sideEffectsTwice).as("alerts whose side effect happened twice").isEmpty();
        assertThat(resolvedWithoutOneSideEffect)
            .as("resolved alerts without exactly one side effect")
            .isEmpty();
        assertThat(resolvedNotItsRun).as("resolved alerts whose run is not the queue's").isEmpty();
        // Every trail verifies. A run cut off before its first step (by the kill, or stopped on
        // the frozen server once woken: its lease was taken over) leaves a trail without a head,
        // which the verifier reports (it cannot tell a cut from a deletion), and only on those two
        // servers; `runbook audit verify` counts exactly those as altered there, none on the
        // server left alone, none in the store's copy (which has no ledger: exit 8 says so).
        assertThat(census.problems()).as("trails that do not verify").isEmpty();
        assertThat(census.unverifiedPerState().getOrDefault(alive, 0))
            .as("runs cut off on server-%d, left alone", alive)
            .isZero();
        census
            .cutOff()
            .forEach(
                (run, problems) ->
                    assertThat(problems)
                        .as("run %s, cut off before its first step", run)
                        .allMatch(
                            p ->
                                p.startsWith("no trail")
                                    || p.startsWith("events.head is missing")));
        assertThat(verifyExits.get(alive)).as("audit verify: %s", verified.get(alive)).isZero();
        for (int i = 0; i < states.size(); i++) {
          assertThat(verified.get(i).lines().findFirst().orElseThrow())
              .as("audit verify's altered runs: those cut off before their first step")
              .contains(" " + census.unverifiedPerState().getOrDefault(i, 0) + " altered");
        }
        assertThat(verified.get(SERVERS)).contains("no ledger");
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

  /** The runs {@code audit verify} did not find ok, one per line, for a failure's message. */
  private static String notOk(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.contains("ALTERED") || line.contains("INCOMPLETE")) {
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
