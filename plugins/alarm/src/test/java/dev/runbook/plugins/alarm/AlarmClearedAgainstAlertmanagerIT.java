package dev.runbook.plugins.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import dev.runbook.api.StepResult;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.alertmanager.Alertmanager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * alarm.cleared against the real prometheus-alertmanager on loopback: alerts posted to its API,
 * resolved as Prometheus resolves them, and asked about through its API v2.
 */
class AlarmClearedAgainstAlertmanagerIT {

  @TempDir static Path dir;
  private static Alertmanager alertmanager;

  @BeforeAll
  static void start() throws Exception {
    Alertmanager.requireInstalled();
    Path token = Files.writeString(dir.resolve("token"), "unused\n");
    // Its webhook goes nowhere: these tests ask Alertmanager, they do not receive from it.
    alertmanager =
        Alertmanager.start(
            dir.resolve("am"), "http://127.0.0.1:9/nowhere", token, Duration.ofHours(1));
  }

  @AfterAll
  static void stop() {
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  private static Map<String, String> alert(String name, String... more) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", name);
    for (int i = 0; i < more.length; i += 2) {
      labels.put(more[i], more[i + 1]);
    }
    return labels;
  }

  private static void listed(Map<String, String> labels, boolean wanted) {
    Eventually.within(
        Duration.ofSeconds(20),
        "Alertmanager to " + (wanted ? "list " : "drop ") + labels,
        () -> {
          try {
            return alertmanager.active().stream()
                    .anyMatch(
                        a ->
                            labels.entrySet().stream()
                                .allMatch(
                                    e ->
                                        a.path("labels")
                                            .path(e.getKey())
                                            .asText()
                                            .equals(e.getValue())))
                == wanted;
          } catch (IOException e) {
            return false;
          }
        });
  }

  @Test
  void firingUntilAlertmanagerStopsListingItThenCleared() throws Exception {
    Map<String, String> labels = alert("ScratchFull", "dir", "/srv/a");
    alertmanager.fire(List.of(labels));
    listed(labels, true);
    Step.TestAlarm alarm = new Step.TestAlarm(labels, alertmanager.url());

    StepResult firing = Step.of(alarm).run();
    assertThat(firing.data())
        .containsEntry("known", true)
        .containsEntry("cleared", false)
        .containsEntry("firing", 1L)
        .containsEntry("source", "alertmanager " + alertmanager.url());

    alertmanager.resolve(List.of(labels));
    StepResult cleared =
        Step.of(alarm).run("within", Duration.ofSeconds(20), "every", Duration.ofMillis(200));
    assertThat(cleared.data()).containsEntry("cleared", true).containsEntry("firing", 0L);
  }

  @Test
  void theRunsOwnAlertCountsOnlyWithExactlyItsLabels() throws Exception {
    Map<String, String> own = alert("NodeDown", "instance", "n1");
    Map<String, String> wider = alert("NodeDown", "instance", "n1", "severity", "page");
    alertmanager.fire(List.of(own, wider));
    listed(wider, true);
    listed(own, true);
    Step.TestAlarm alarm = new Step.TestAlarm(own, alertmanager.url());
    assertThat(Step.of(alarm).run().data()).containsEntry("firing", 1L);

    alertmanager.resolve(List.of(own));
    StepResult result =
        Step.of(alarm).run("within", Duration.ofSeconds(20), "every", Duration.ofMillis(200));
    assertThat(result.data()).as("the wider alert still fires").containsEntry("cleared", true);

    // Asked with matchers, every firing alert that has them counts.
    StepResult matched =
        Step.of(alarm).run("matchers", Map.of("alertname", "NodeDown", "instance", "n1"));
    assertThat(matched.data()).containsEntry("cleared", false).containsEntry("firing", 1L);
    alertmanager.resolve(List.of(wider));
  }

  @Test
  void labelValuesWithQuotesCommasBracesAndUnicodeAreAskedExactly() throws Exception {
    Map<String, String> hostile = alert("Odd", "path", "/a\",b=\"c}{é\\");
    alertmanager.fire(List.of(hostile));
    listed(hostile, true);
    assertThat(Step.of(new Step.TestAlarm(hostile, alertmanager.url())).run().data())
        .containsEntry("firing", 1L);
    Map<String, String> almost = alert("Odd", "path", "/a\",b=\"c}{e\\");
    assertThat(Step.of(new Step.TestAlarm(almost, alertmanager.url())).run().data())
        .as("one letter apart is another alert")
        .containsEntry("cleared", true);
    alertmanager.resolve(List.of(hostile));
  }

  @Test
  void anAlertmanagerThatCannotBeReachedFailsTheStepNamingIt() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closed);
    StepResult result =
        Step.of(new Step.TestAlarm(alert("X"), nowhere)).run("within", Duration.ofSeconds(5));
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.failure().orElseThrow().kind()).isEqualTo(FailureKind.CONNECT);
    assertThat(result.failure().orElseThrow().message())
        .startsWith("could not ask alertmanager " + nowhere + ": ");
    assertThat(result.data()).containsEntry("known", false);
  }
}
