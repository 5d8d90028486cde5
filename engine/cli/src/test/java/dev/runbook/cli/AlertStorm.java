package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a storm of distinct alerts to several {@code runbook serve} instances as Alertmanager does:
 * each alert its own webhook ({@code POST /v1/alertmanager}, payload version 4, {@code group_by:
 * ['...']}), retried on 503 or a connection that fails, with a backoff that doubles up to a bound;
 * every {@code twiceEvery}-th alert also to a second server at once (Alertmanager in HA sends to
 * every receiver). An instance that keeps failing is left for the next one after two tries (as a
 * load balancer would). Alert {@code n} carries the label {@code n}.
 *
 * <p>Also reads the shared queue back ({@code GET /v1/alerts}).
 */
final class AlertStorm {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  private static final Duration PER_ALERT_DEADLINE = Duration.ofSeconds(120);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final List<String> urls;
  private final String alarm;
  private final String startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

  /** alert n -> the queue key a server answered 2xx with. */
  private final Map<Integer, String> accepted = new ConcurrentHashMap<>();

  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger timedOut = new AtomicInteger();
  private final AtomicInteger posts = new AtomicInteger();
  private final AtomicInteger failedOver = new AtomicInteger();
  private final AtomicInteger gaveUp = new AtomicInteger();

  AlertStorm(List<String> urls, String alarm) {
    this.urls = List.copyOf(urls);
    this.alarm = alarm;
  }

  /** What the senders saw. */
  record Figures(
      int accepted, int posts, int unavailable, int refused, int timedOut, int failedOver) {}

  /**
   * Sends alerts {@code 0..count-1}, one started every {@code pace}, from {@code threads} senders;
   * returns once all were sent or given up (each bounded by its own deadline).
   */
  void send(int count, int twiceEvery, Duration pace, int threads) throws InterruptedException {
    ExecutorService senders = Executors.newFixedThreadPool(threads);
    try {
      for (int n = 0; n < count; n++) {
        int alert = n;
        senders.execute(
            () -> {
              deliver(alert, alert % urls.size());
              if (twiceEvery > 0 && alert % twiceEvery == 0) {
                deliver(alert, (alert + 1) % urls.size());
              }
            });
        if (!pace.isZero()) {
          Thread.sleep(pace.toMillis());
        }
      }
    } finally {
      senders.shutdown();
      if (!senders.awaitTermination(PER_ALERT_DEADLINE.toSeconds() * 2, TimeUnit.SECONDS)) {
        senders.shutdownNow();
        throw new AssertionError("the storm's senders did not finish in time");
      }
    }
  }

  private void deliver(int n, int first) {
    String body = webhook(n);
    long deadline = System.nanoTime() + PER_ALERT_DEADLINE.toNanos();
    Duration backoff = FIRST_BACKOFF;
    int target = first;
    int triesHere = 0;
    while (System.nanoTime() < deadline) {
      posts.incrementAndGet();
      Duration wait = backoff;
      try {
        HttpResponse<String> response = post(urls.get(target), body);
        if (response.statusCode() / 100 == 2) {
          JsonNode keys = JSON.readTree(response.body()).path("alerts");
          String key = keys.fieldNames().hasNext() ? keys.fieldNames().next() : null;
          if (key == null) {
            throw new AssertionError("a 2xx without the alert's key: " + response.body());
          }
          accepted.put(n, key);
          return;
        }
        if (response.statusCode() != 503) {
          throw new AssertionError(
              "alert " + n + ": " + response.statusCode() + " " + response.body());
        }
        unavailable.incrementAndGet();
        long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
        wait = min(Duration.ofSeconds(retryAfter), backoff);
      } catch (ConnectException e) {
        refused.incrementAndGet();
      } catch (HttpTimeoutException e) {
        timedOut.incrementAndGet();
      } catch (IOException e) {
        refused.incrementAndGet(); // reset or closed mid-request: the sender cannot tell more
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (++triesHere >= 2) {
        target = (target + 1) % urls.size();
        triesHere = 0;
        failedOver.incrementAndGet();
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
    }
    gaveUp.incrementAndGet();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private HttpResponse<String> post(String url, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + "/v1/alertmanager"))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + ServeCluster.TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Alertmanager's webhook (version 4) for alert n alone, as {@code group_by: ['...']} sends. */
  private String webhook(int n) {
    Map<String, String> labels = Map.of("alertname", alarm, "n", Integer.toString(n));
    Map<String, Object> alert = new HashMap<>();
    alert.put("status", "firing");
    alert.put("labels", labels);
    alert.put("annotations", Map.of());
    alert.put("startsAt", startsAt);
    alert.put("endsAt", "0001-01-01T00:00:00Z");
    alert.put("generatorURL", "");
    alert.put("fingerprint", "%016x".formatted(n + 1));
    Map<String, Object> hook = new HashMap<>();
    hook.put("version", "4");
    hook.put("groupKey", "{}:{alertname=\"" + alarm + "\", n=\"" + n + "\"}");
    hook.put("truncatedAlerts", 0);
    hook.put("status", "firing");
    hook.put("receiver", "runbook");
    hook.put("groupLabels", labels);
    hook.put("commonLabels", labels);
    hook.put("commonAnnotations", Map.of());
    hook.put("externalURL", "http://127.0.0.1:9093");
    hook.put("alerts", List.of(alert));
    try {
      return JSON.writeValueAsString(hook);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Alert n -> its queue key, for every alert a server answered 2xx for. */
  Map<Integer, String> accepted() {
    return Map.copyOf(accepted);
  }

  int acceptedCount() {
    return accepted.size();
  }

  int gaveUp() {
    return gaveUp.get();
  }

  Figures figures() {
    return new Figures(
        accepted.size(),
        posts.get(),
        unavailable.get(),
        refused.get(),
        timedOut.get(),
        failedOver.get());
  }

  /** The shared queue as one server lists it (key -> record), or null when it cannot answer. */
  Map<String, JsonNode> queue(String url) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/alerts?limit=100000"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + ServeCluster.TOKEN)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return null;
      }
      Map<String, JsonNode> byKey = new HashMap<>();
      for (JsonNode record : JSON.readTree(response.body())) {
        byKey.put(record.path("key").asText(), record);
      }
      return byKey;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Whether an alert's record is terminal: its run ended, or waits for a person. */
  static boolean terminal(JsonNode record) {
    String state = record == null ? "" : record.path("state").asText();
    return state.equals("ENDED") || state.equals("PAUSED");
  }

  /** How many accepted alerts are terminal in the queue {@code url} lists (-1: no answer). */
  int terminalCount(String url) {
    Map<String, JsonNode> queue = queue(url);
    if (queue == null) {
      return -1;
    }
    int n = 0;
    for (String key : accepted.values()) {
      if (terminal(queue.get(key))) {
        n++;
      }
    }
    return n;
  }

  /** The sum of one Prometheus counter's samples on a server's /metrics (0 when unreachable). */
  double metric(String url, String name) {
    try {
      String text =
          http.send(
                  HttpRequest.newBuilder(URI.create(url + "/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .header("Authorization", "Bearer " + ServeCluster.TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      double sum = 0;
      for (String line : text.split("\n")) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (IOException | NumberFormatException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
