package dev.runbook.cli;

import dev.runbook.engine.store.DirectoryStore;
import dev.runbook.engine.store.Lease;
import dev.runbook.engine.store.Store;
import dev.runbook.fixtures.Directories;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.postgresql.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bench/run.sh scale}: (a) the same storm of distinct alerts drained by one {@code runbook
 * serve} and by three on one PostgreSQL (no kills), each on a fresh database, interleaved; (b) one
 * trail line appended through the engine's {@code TrailStore} SPI, the directory journal (which
 * syncs) against PostgreSQL, interleaved. A main, not a test: it measures, asserts nothing but that
 * the storm drained with every run resolved.
 *
 * <p>Arguments: alerts, repetitions, trail lines per store, workers per server.
 */
public final class ScaleBench {

  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final int LINES_PER_RUN = 50;

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    int alerts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int lines = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int workers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Path dir = Files.createTempDirectory("runbook-bench-scale-");
    try {
      Map<Integer, List<Double>> drains = new TreeMap<>();
      for (int r = 0; r < reps; r++) {
        for (int servers : new int[] {1, 3}) {
          double seconds =
              drain(dir.resolve("drain-" + r + "-" + servers), alerts, servers, workers);
          drains.computeIfAbsent(servers, k -> new ArrayList<>()).add(seconds);
        }
      }
      double one = median(drains.get(1));
      double three = median(drains.get(3));
      System.out.printf(
          "storm of %d alerts (one webhook each, 8 senders), drained by 1 server: %.1f s (%.0f"
              + " alerts/s)%n",
          alerts, one, alerts / one);
      System.out.printf(
          "storm of %d alerts, drained by 3 servers on the same PostgreSQL: %.1f s (%.0f"
              + " alerts/s)%n",
          alerts, three, alerts / three);
      System.out.printf(
          "ratio drain time 3 servers / 1 server: %.2fx (median of %d each; %d cores here, shared"
              + " by the three JVMs, PostgreSQL and the runs' shells: the ratio measures"
              + " contention, not the design's ceiling)%n",
          three / one, reps, Runtime.getRuntime().availableProcessors());
      trails(dir.resolve("trails"), lines);
    } finally {
      Directories.deleteTree(dir);
    }
  }

  /** Seconds from the first alert sent until every alert's run ended, on a fresh PostgreSQL. */
  private static double drain(Path dir, int alerts, int servers, int workers) throws Exception {
    Path library = Files.createDirectories(dir.resolve("runbooks"));
    Path marks = Files.createDirectories(dir.resolve("marks"));
    StormRunbook.write(library, marks, false);
    try (PostgresServer pg = PostgresServer.start();
        ServeCluster cluster =
            ServeCluster.start(dir, pg.url(), library, servers, workers, LEASE)) {
      AlertStorm storm = new AlertStorm(cluster.urls(), StormRunbook.ALARM);
      long began = System.nanoTime();
      storm.send(alerts, 0, Duration.ZERO, 8);
      String url = cluster.urls().get(0);
      Eventually.within(
          Duration.ofSeconds(600), "the storm to drain", () -> storm.terminalCount(url) == alerts);
      double seconds = (System.nanoTime() - began) / 1e9;
      var queue = storm.queue(url);
      long resolved =
          storm.accepted().values().stream()
              .filter(k -> "resolved".equals(queue.get(k).path("outcome").asText()))
              .count();
      if (resolved != alerts) {
        throw new AssertionError(
            (alerts - resolved) + " alerts did not end resolved:\n" + cluster.logs());
      }
      List<Path> states = new ArrayList<>();
      for (int i = 0; i < servers; i++) {
        states.add(cluster.state(i));
      }
      AlertStorm.Figures sent = storm.figures();
      System.out.printf(
          "  %d server(s): drained in %.1f s; runs per server %s; %d posts, %d answered 503%n",
          servers,
          seconds,
          StormRunbook.Census.of(states).runsPerState().values(),
          sent.posts(),
          sent.unavailable());
      return seconds;
    }
  }

  /**
   * Appends {@code count} trail lines through each store's {@code TrailStore}, in runs of {@value
   * #LINES_PER_RUN} lines, a run in one store then a run in the other, and prints the cost per line
   * and the ratio. PostgreSQL's appends carry a fence (a lease), as a server's run's would.
   */
  private static void trails(Path dir, int count) throws Exception {
    byte[] line = sampleLine();
    try (PostgresServer pg = PostgresServer.start();
        Store postgres = ServeCluster.openStore(pg.url());
        DirectoryStore directory = new DirectoryStore(dir.resolve("state"))) {
      Lease fence =
          postgres
              .locks()
              .tryAcquire("alert:bench", "bench", Duration.ofHours(1))
              .orElseThrow(() -> new AssertionError("no lease for the bench"));
      int runs = Math.max(1, count / LINES_PER_RUN);
      // One run each first, not counted: class loading, the pool's first connections.
      append(directory, runId(0, 'd'), null, line);
      append(postgres, runId(0, 'p'), fence, line);
      long dirNanos = 0;
      long pgNanos = 0;
      List<Integer> order = new ArrayList<>();
      for (int r = 1; r <= runs; r++) {
        order.add(r);
      }
      Collections.shuffle(order, new java.util.Random(17));
      for (int r : order) {
        if (r % 2 == 0) {
          dirNanos += append(directory, runId(r, 'd'), null, line);
          pgNanos += append(postgres, runId(r, 'p'), fence, line);
        } else {
          pgNanos += append(postgres, runId(r, 'p'), fence, line);
          dirNanos += append(directory, runId(r, 'd'), null, line);
        }
      }
      int appended = runs * LINES_PER_RUN;
      double dirMs = dirNanos / 1e6 / appended;
      double pgMs = pgNanos / 1e6 / appended;
      System.out.printf(
          "trail line (%d bytes) through TrailStore.append, %d lines each in runs of %d,"
              + " interleaved:%n",
          line.length, appended, LINES_PER_RUN);
      System.out.printf(
          "  directory journal (DirectoryStore, fsync per line): %.3f ms/line%n", dirMs);
      System.out.printf(
          "  PostgreSQL (fenced: lease checked in the same transaction, commit synced): %.3f"
              + " ms/line%n",
          pgMs);
      System.out.printf("ratio PostgreSQL / directory per trail line: %.2fx%n", pgMs / dirMs);
    }
  }

  private static long append(Store store, String runId, Lease fence, byte[] line)
      throws IOException {
    long began = System.nanoTime();
    for (int seq = 1; seq <= LINES_PER_RUN; seq++) {
      store.trails().append(runId, seq, line, fence);
    }
    return System.nanoTime() - began;
  }

  private static String runId(int r, char store) {
    return "20261207-1500%02d-%c%03x".formatted(r % 60, store, r);
  }

  /** A line the size of a step's trail line (a command and its result, hashed). */
  private static byte[] sampleLine() {
    String text =
        "{\"type\":\"step.finished\",\"time\":\"2026-12-07T15:00:00.123456Z\",\"step\":\"side-effect\","
            + "\"status\":\"ok\",\"exitCode\":0,\"durationMs\":21,\"changes\":true,"
            + "\"output\":{\"bytes\":0,\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"},"
            + "\"prev\":\"5f1d7e2c9a3b4c6d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7\"}";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
