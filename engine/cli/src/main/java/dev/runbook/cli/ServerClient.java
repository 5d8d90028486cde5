package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How {@code approve} and {@code answer} reach a running {@code runbook serve}: its URL and its
 * bearer token (never printed). A picocli mixin.
 */
final class ServerClient {

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Where runbook serve listens: http://127.0.0.1:9095 unless $RUNBOOK_SERVER.")
  URI server;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "The server's bearer token (default: $RUNBOOK_SERVER_TOKEN, else STATE/serve/token).")
  Path tokenFile;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The server's answer: its status and its JSON body. */
  record Reply(int status, JsonNode body) {
    String error() {
      return body.path("error").asText("HTTP " + status);
    }
  }

  private Reply post(String path, Object body, Path stateDir) {
    URI base = base();
    String token = token(stateDir);
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
              .build();
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (IOException e) {
        json = JSON.createObjectNode();
      }
      return new Reply(response.statusCode(), json == null ? JSON.createObjectNode() : json);
    } catch (IOException e) {
      throw new UserException(
          ExitCodes.USAGE,
          "cannot reach runbook serve at "
              + base
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage())
              + " (is it running? --server URL)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserException(ExitCodes.INTERNAL, "interrupted");
    }
  }

  private URI base() {
    if (server != null) {
      return server;
    }
    String env = System.getenv("RUNBOOK_SERVER");
    return URI.create(env == null || env.isBlank() ? "http://127.0.0.1:9095" : env.strip());
  }

  private String token(Path stateDir) {
    try {
      if (tokenFile != null) {
        return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      }
      String env = System.getenv("RUNBOOK_SERVER_TOKEN");
      if (env != null && !env.isBlank()) {
        return env.strip();
      }
      Path local = stateDir.resolve("serve").resolve("token");
      if (Files.isRegularFile(local)) {
        return Files.readString(local, StandardCharsets.UTF_8).strip();
      }
    } catch (IOException e) {
      throw new UserException(ExitCodes.USAGE, "cannot read the token: " + e.getMessage());
    }
    throw new UserException(
        ExitCodes.USAGE,
        "no token for runbook serve: give --token-file FILE or set RUNBOOK_SERVER_TOKEN (a"
            + " loopback server keeps its own in STATE/serve/token: same --state-dir)");
  }

  /**
   * A person's part in a paused run ({@code approve}, {@code answers}): posted as the operator,
   * with the note if any; the server's answer when it took it (202), else one line and exit 2.
   */
  JsonNode act(String runId, String what, Map<String, Object> fields, String note, Path stateDir) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("operator", Runs.operator());
    body.putAll(fields);
    if (note != null) {
      body.put("note", note);
    }
    Reply reply = post("/v1/runs/" + runId + "/" + what, body, stateDir);
    if (reply.status() != 202) {
      throw refused(reply);
    }
    return reply.body();
  }

  /** The end of the line approve and answer print: who acted, and where the run goes on. */
  static String goesOn(String runId, JsonNode reply) {
    return " of run "
        + runId
        + " as "
        + reply.path("by").asText()
        + "; the run goes on on the server (runbook audit show "
        + runId
        + ")";
  }

  /** One line for a refusal, and the exit code it means. */
  private static UserException refused(Reply reply) {
    return new UserException(
        ExitCodes.USAGE, "runbook serve answered " + reply.status() + ": " + reply.error());
  }
}
