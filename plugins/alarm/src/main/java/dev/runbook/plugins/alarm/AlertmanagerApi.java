package dev.runbook.plugins.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus Alertmanager's API v2, the one call {@code alarm.cleared} needs: the active alerts
 * that match a set of labels ({@code GET /api/v2/alerts?filter=name="value"…}). Resolved alerts are
 * not listed there, so an alert that is no longer listed is cleared. Thread-safe.
 */
final class AlertmanagerApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** An Alertmanager answered with something else than the list of alerts. */
  static final class ApiException extends IOException {
    private static final long serialVersionUID = 1L;

    ApiException(String message) {
      super(message);
    }
  }

  /** The label sets of the alerts that fire now and carry every label of {@code matchers}. */
  List<Map<String, String>> firing(URI base, Map<String, String> matchers)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(alertsUri(base, matchers))
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new ApiException(
          "Alertmanager at " + base + " answered HTTP " + response.statusCode() + " to GET alerts");
    }
    JsonNode alerts = JSON.readTree(response.body());
    if (alerts == null || !alerts.isArray()) {
      throw new ApiException("Alertmanager at " + base + " did not answer a list of alerts");
    }
    List<Map<String, String>> firing = new ArrayList<>();
    for (JsonNode alert : alerts) {
      String state = alert.path("status").path("state").asText("active");
      if (state.equals("suppressed") || state.equals("active") || state.equals("unprocessed")) {
        Map<String, String> labels = new LinkedHashMap<>();
        alert
            .path("labels")
            .fields()
            .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        firing.add(labels);
      }
    }
    return firing;
  }

  /**
   * {@code /api/v2/alerts?filter=…}: one equality matcher per label, its value quoted and escaped
   * as Alertmanager's matcher syntax wants, the whole of it URL-encoded, so that no label value
   * (quotes, commas, braces, unicode) changes what is asked.
   */
  static URI alertsUri(URI base, Map<String, String> matchers) {
    StringBuilder query = new StringBuilder("active=true&silenced=true&inhibited=true");
    matchers.forEach(
        (name, value) ->
            query
                .append("&filter=")
                .append(
                    URLEncoder.encode(
                        name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
                        StandardCharsets.UTF_8)));
    String root = base.toString().replaceAll("/+$", "");
    return URI.create(root + "/api/v2/alerts?" + query);
  }
}
