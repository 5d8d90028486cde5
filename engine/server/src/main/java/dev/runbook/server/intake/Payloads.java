package dev.runbook.server.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the two intake formats into {@link Alert}s: Prometheus Alertmanager's webhook (payload
 * version 4) and the plain alarm ({@code {"alarm", "id", "status", "labels"}}). Anything that is
 * not one of them is a {@link BadPayload} with the reason, never an exception that escapes.
 */
public final class Payloads {

  /** Labels an alert may carry; more is not an alert but an attack or a bug. */
  public static final int MAX_LABELS = 200;

  /** Characters of one label name or value. */
  public static final int MAX_LABEL_LENGTH = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build());
  }

  private final URI alertmanagerApi;

  /**
   * @param alertmanagerApi the Alertmanager whose API {@code alarm.cleared} asks about its alerts
   *     (the one that sends them), or null: the resolved notifications received are used instead
   */
  public Payloads(URI alertmanagerApi) {
    this.alertmanagerApi = alertmanagerApi;
  }

  private static JsonNode parse(byte[] body) throws BadPayload {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null) {
        throw new BadPayload("the body is empty; send a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new BadPayload("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadPayload("unreadable body: " + e.getMessage());
    }
  }

  /** Alertmanager's webhook: {@code {"version": "4", "alerts": [...]}}. */
  public List<Alert> alertmanager(byte[] body) throws BadPayload {
    JsonNode root = parse(body);
    if (!root.isObject()) {
      throw new BadPayload("an Alertmanager webhook is a JSON object, not " + kind(root));
    }
    String version = root.path("version").asText("");
    if (!version.equals("4")) {
      throw new BadPayload(
          "Alertmanager webhook version '"
              + version
              + "' is not supported; this endpoint takes version 4 (Alertmanager 0.x sends 4)");
    }
    JsonNode alerts = root.path("alerts");
    if (!alerts.isArray()) {
      throw new BadPayload("'alerts' must be a list");
    }
    List<Alert> out = new ArrayList<>();
    int index = 0;
    for (JsonNode alert : alerts) {
      out.add(alertmanagerAlert(alert, "alerts[" + index++ + "]"));
    }
    return out;
  }

  private Alert alertmanagerAlert(JsonNode alert, String where) throws BadPayload {
    if (!alert.isObject()) {
      throw new BadPayload(where + " must be an object, not " + kind(alert));
    }
    Map<String, String> labels = labels(alert.path("labels"), where);
    String status = alert.path("status").asText("");
    if (!status.equals("firing") && !status.equals("resolved")) {
      throw new BadPayload(where + ": status must be firing or resolved, not '" + status + "'");
    }
    Instant startsAt = time(alert.path("startsAt"), where + ".startsAt");
    String fingerprint = alert.path("fingerprint").asText("");
    if (fingerprint.isEmpty()) {
      fingerprint = fingerprint(labels);
    } else if (!fingerprint.matches("[0-9a-fA-F]{1,64}")) {
      throw new BadPayload(where + ": fingerprint must be hexadecimal");
    }
    List<String> names = new ArrayList<>();
    for (String label : List.of("alertname", "alarm", "alarm_id")) {
      String value = labels.get(label);
      if (value != null && !value.isBlank() && !names.contains(value)) {
        names.add(value);
      }
    }
    String key = fingerprint + "@" + (startsAt == null ? "" : startsAt.toString());
    return new Alert(
        "alertmanager", key, names, status.equals("firing"), labels, startsAt, alertmanagerApi);
  }

  /**
   * The plain alarm: {@code {"alarm": "ALM-45654", "id": "…", "status": "firing", "labels": {}}}.
   */
  public List<Alert> alarm(byte[] body) throws BadPayload {
    JsonNode root = parse(body);
    List<Alert> out = new ArrayList<>();
    if (root.isArray()) {
      int index = 0;
      for (JsonNode alarm : root) {
        out.add(plainAlarm(alarm, "[" + index++ + "]"));
      }
    } else {
      out.add(plainAlarm(root, "the alarm"));
    }
    return out;
  }

  private Alert plainAlarm(JsonNode alarm, String where) throws BadPayload {
    if (!alarm.isObject()) {
      throw new BadPayload(where + " must be an object, not " + kind(alarm));
    }
    String name = text(alarm, "alarm", where);
    String id = text(alarm, "id", where);
    String status = alarm.path("status").asText("firing");
    if (!status.equals("firing") && !status.equals("cleared")) {
      throw new BadPayload(where + ": status must be firing or cleared, not '" + status + "'");
    }
    Map<String, String> labels =
        alarm.has("labels") ? labels(alarm.get("labels"), where) : new LinkedHashMap<>();
    Instant startsAt = time(alarm.path("startsAt"), where + ".startsAt");
    return new Alert(
        "alarms",
        "alarm:" + name + "/" + id,
        List.of(name),
        status.equals("firing"),
        labels,
        startsAt,
        null);
  }

  private static String text(JsonNode node, String field, String where) throws BadPayload {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new BadPayload(where + ": '" + field + "' is required, as a string");
    }
    if (value.asText().length() > MAX_LABEL_LENGTH) {
      throw new BadPayload(where + ": '" + field + "' is longer than " + MAX_LABEL_LENGTH);
    }
    return value.asText();
  }

  private static Map<String, String> labels(JsonNode node, String where) throws BadPayload {
    if (!node.isObject()) {
      throw new BadPayload(where + ": labels must be an object of strings");
    }
    if (node.size() > MAX_LABELS) {
      throw new BadPayload(
          where + ": " + node.size() + " labels; an alert may carry at most " + MAX_LABELS);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    var fields = node.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      if (!field.getValue().isTextual()) {
        throw new BadPayload(where + ": label '" + shortened(field.getKey()) + "' is not a string");
      }
      if (field.getKey().length() > MAX_LABEL_LENGTH
          || field.getValue().asText().length() > MAX_LABEL_LENGTH) {
        throw new BadPayload(
            where + ": a label name or value is longer than " + MAX_LABEL_LENGTH + " characters");
      }
      labels.put(field.getKey(), field.getValue().asText());
    }
    return labels;
  }

  private static Instant time(JsonNode node, String where) throws BadPayload {
    if (node.isMissingNode() || node.isNull() || node.asText().isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(node.asText());
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(node.asText()).toInstant();
      } catch (DateTimeParseException again) {
        throw new BadPayload(
            where + " is not an RFC 3339 time: '" + shortened(node.asText()) + "'");
      }
    }
  }

  /** Alertmanager's own fingerprint when it sent none: a digest of the sorted label set. */
  static String fingerprint(Map<String, String> labels) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
        digest.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(e.getValue().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String kind(JsonNode node) {
    return node.isArray()
        ? "a list"
        : node.isObject() ? "an object" : "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String shortened(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
