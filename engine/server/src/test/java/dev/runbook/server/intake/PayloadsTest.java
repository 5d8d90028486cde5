package dev.runbook.server.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  private final Payloads payloads = new Payloads(URI.create("http://127.0.0.1:9093"));

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Alertmanager 0.25's webhook body, as it sends it (trimmed of annotations). */
  private static final String WEBHOOK =
      """
      {"receiver":"runbook","status":"firing","version":"4","groupKey":"{}:{alertname=\\"ALM-45654\\"}",
       "truncatedAlerts":0,"externalURL":"http://am:9093","groupLabels":{},"commonLabels":{},
       "commonAnnotations":{},
       "alerts":[{"status":"firing","labels":{"alertname":"ALM-45654","HostName":"mrs-node-1"},
                  "annotations":{},"startsAt":"2026-12-07T03:15:02.123Z",
                  "endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"4f2a9c0d1e2b3a41"},
                 {"status":"resolved","labels":{"alertname":"Other","alarm_id":"ALM-1"},
                  "startsAt":"2026-12-07T03:00:00Z","endsAt":"2026-12-07T03:10:00Z",
                  "fingerprint":"0000000000000001"}]}
      """;

  @Test
  void readsEveryAlertOfAVersion4Webhook() throws BadPayload {
    List<Alert> alerts = payloads.alertmanager(bytes(WEBHOOK));
    assertThat(alerts).hasSize(2);
    Alert first = alerts.get(0);
    assertThat(first.key()).isEqualTo("4f2a9c0d1e2b3a41@2026-12-07T03:15:02.123Z");
    assertThat(first.firing()).isTrue();
    assertThat(first.names()).containsExactly("ALM-45654");
    assertThat(first.labels()).containsEntry("HostName", "mrs-node-1");
    assertThat(first.startsAt()).isEqualTo(Instant.parse("2026-12-07T03:15:02.123Z"));
    assertThat(first.api()).hasToString("http://127.0.0.1:9093");
    Alert second = alerts.get(1);
    assertThat(second.firing()).isFalse();
    assertThat(second.names()).containsExactly("Other", "ALM-1");
  }

  @Test
  void theSameAlertStartedAgainIsAnotherOccurrence() throws BadPayload {
    String later = WEBHOOK.replace("03:15:02.123Z", "05:00:00Z");
    assertThat(payloads.alertmanager(bytes(later)).get(0).key())
        .isNotEqualTo(payloads.alertmanager(bytes(WEBHOOK)).get(0).key());
  }

  @Test
  void readsAPlainAlarmAndAListOfThem() throws BadPayload {
    Alert alarm =
        payloads
            .alarm(
                bytes(
                    "{\"alarm\":\"ALM-45654\",\"id\":\"fi-778\",\"status\":\"cleared\","
                        + "\"labels\":{\"HostName\":\"n1\"}}"))
            .get(0);
    assertThat(alarm.key()).isEqualTo("alarm:ALM-45654/fi-778");
    assertThat(alarm.firing()).isFalse();
    assertThat(alarm.api()).isNull();
    assertThat(
            payloads.alarm(
                bytes("[{\"alarm\":\"A\",\"id\":\"1\"},{\"alarm\":\"A\",\"id\":\"2\"}]")))
        .hasSize(2);
  }

  @Test
  void badBodiesGetOneLineSayingWhatIsWrong() {
    assertThatThrownBy(() -> payloads.alertmanager(bytes("{\"version\":\"4\",")))
        .isInstanceOf(BadPayload.class)
        .hasMessageStartingWith("malformed JSON: ");
    assertThatThrownBy(() -> payloads.alertmanager(bytes("[]")))
        .hasMessage("an Alertmanager webhook is a JSON object, not a list");
    assertThatThrownBy(() -> payloads.alertmanager(bytes("{\"version\":\"3\",\"alerts\":[]}")))
        .hasMessageContaining("version '3' is not supported");
    assertThatThrownBy(() -> payloads.alarm(bytes("{\"alarm\":\"A\"}")))
        .hasMessage("the alarm: 'id' is required, as a string");
    assertThatThrownBy(
            () -> payloads.alarm(bytes("{\"alarm\":\"A\",\"id\":\"1\",\"labels\":{\"n\":3}}")))
        .hasMessage("the alarm: label 'n' is not a string");
    assertThatThrownBy(
            () ->
                payloads.alertmanager(
                    bytes(
                        WEBHOOK.replace(
                            "\"fingerprint\":\"4f2a9c0d1e2b3a41\"", "\"fingerprint\":\"../x\""))))
        .hasMessage("alerts[0]: fingerprint must be hexadecimal");
    assertThatThrownBy(() -> payloads.alarm(bytes("[".repeat(100) + "]".repeat(100))))
        .isInstanceOf(BadPayload.class)
        .hasMessageStartingWith("malformed JSON: ");
  }

  @Test
  void tenThousandLabelsAreRefusedBeforeAnythingIsDecided() {
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      labels.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":\"v\"");
    }
    assertThatThrownBy(
            () ->
                payloads.alarm(bytes("{\"alarm\":\"A\",\"id\":\"1\",\"labels\":{" + labels + "}}")))
        .hasMessage("the alarm: 10000 labels; an alert may carry at most 200");
  }

  @Test
  void hostileAndUnicodeValuesAreKeptAsTheyCameAsData() throws BadPayload {
    Alert alarm =
        payloads
            .alarm(
                bytes(
                    "{\"alarm\":\"A\",\"id\":\"$(reboot)\",\"labels\":{\"host\":\"x; rm -rf /\","
                        + "\"note\":\"ünïcødé ☃ \\u0000\"}}"))
            .get(0);
    assertThat(alarm.labels()).containsEntry("host", "x; rm -rf /");
    assertThat(alarm.labels().get("note")).isEqualTo("ünïcødé ☃ \u0000");
    assertThat(alarm.key()).isEqualTo("alarm:A/$(reboot)");
  }
}
