package dev.runbook.server.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tells a webhook that a run paused for a person or ended: Slack-compatible JSON ({@code {"text":
 * …}}) or plain text. Sent from one background thread with a bounded backlog and a timeout, so a
 * slow or dead webhook never holds up a run; a notice that cannot be sent is reported, not retried.
 */
public final class Notifier implements AutoCloseable {

  /** How notices are written. */
  public enum Format {
    SLACK,
    PLAIN
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final Format format;
  private final Consumer<String> problems;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService sender =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(1000),
          r -> {
            Thread t = new Thread(r, "runbook-notifier");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param url the webhook, or null for none
   * @param problems where a notice that could not be sent is reported
   */
  public Notifier(URI url, Format format, Consumer<String> problems) {
    this.url = url;
    this.format = format;
    this.problems = problems;
  }

  public void send(String text) {
    if (url == null) {
      return;
    }
    try {
      sender.execute(() -> post(text));
    } catch (RejectedExecutionException e) {
      problems.accept("notification dropped (1000 waiting for " + url + "): " + text);
    }
  }

  private void post(String text) {
    try {
      String body = format == Format.SLACK ? JSON.writeValueAsString(Map.of("text", text)) : text;
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .timeout(Duration.ofSeconds(10))
              .header(
                  "Content-Type",
                  format == Format.SLACK ? "application/json" : "text/plain; charset=utf-8")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        problems.accept("notification to " + url + " answered HTTP " + response.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      problems.accept("notification to " + url + " failed: " + e);
    }
  }

  @Override
  public void close() {
    sender.shutdown();
  }
}
