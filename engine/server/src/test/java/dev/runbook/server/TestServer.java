package dev.runbook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.engine.Engine;
import dev.runbook.server.notify.Notifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RunbookServer} in this JVM on a free loopback port, over a library written by the test,
 * with the real shell plugin: its commands really run.
 */
final class TestServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  final Path state;
  final RunbookServer server;
  final List<String> log = new CopyOnWriteArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** An answer: status, headers' Retry-After, body. */
  record Reply(int status, String retryAfter, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  TestServer(Path dir, Map<String, String> runbooks, ServeOptions options) throws Exception {
    Path library = Files.createDirectories(dir.resolve("runbooks"));
    for (Map.Entry<String, String> rb : runbooks.entrySet()) {
      Files.writeString(library.resolve(rb.getKey() + ".yaml"), rb.getValue());
    }
    state = dir.resolve("state");
    Engine engine =
        Engine.builder()
            .runbooks(List.of(library))
            .stateDir(state)
            .identity(() -> "test", "test")
            .build();
    server = RunbookServer.start(engine, options, log::add);
  }

  static ServeOptions loopback() {
    return ServeOptions.defaults(new InetSocketAddress("127.0.0.1", 0));
  }

  /** On loopback, with this queue limit, workers and notice webhook (or null). */
  static ServeOptions loopback(int queueLimit, int workers, URI notify) {
    return new ServeOptions(
        new InetSocketAddress("127.0.0.1", 0),
        null,
        null,
        null,
        ServeOptions.DEFAULT_MAX_BODY,
        queueLimit,
        workers,
        null,
        notify,
        Notifier.Format.SLACK);
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  String token() throws IOException {
    return Files.readString(state.resolve("serve").resolve("token")).strip();
  }

  Reply post(String path, byte[] body, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  Reply post(String path, String body) throws Exception {
    return post(path, body.getBytes(StandardCharsets.UTF_8), null);
  }

  Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  private Reply send(HttpRequest request) throws Exception {
    HttpResponse<String> response =
        client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Retry-After").orElse(null),
        response.body());
  }

  /** The alert's record as the API shows it. */
  JsonNode alert(String key) throws Exception {
    for (JsonNode alert : get("/v1/alerts?limit=10000").json()) {
      if (alert.path("key").asText().equals(key)) {
        return alert;
      }
    }
    return null;
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
