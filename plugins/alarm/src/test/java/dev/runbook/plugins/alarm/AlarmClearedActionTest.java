package dev.runbook.plugins.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.StepResult;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** alarm.cleared without an Alertmanager: no alarm at all, and the notifications received. */
class AlarmClearedActionTest {

  @Test
  void aRunAPersonStartedHasNoSourceAndSaysSoInsteadOfGuessing() throws Exception {
    Step step = Step.withoutAlarm();
    StepResult result = step.run("within", Duration.ofSeconds(30));
    assertThat(result.isSuccess()).isTrue();
    assertThat(result.data())
        .containsEntry("known", false)
        .containsEntry("cleared", false)
        .containsEntry("checks", 0L)
        .containsEntry("source", "none");
    assertThat(step.lines).containsExactly("no alarm source: this run was not started by an alert");
  }

  @Test
  void withoutAnApiTheResolvedNotificationReceivedIsTheAnswer() throws Exception {
    Step.TestAlarm alarm = new Step.TestAlarm(Map.of("alarm", "DiskFull", "host", "n1"), null);
    StepResult firing = Step.of(alarm).run();
    assertThat(firing.data())
        .containsEntry("known", true)
        .containsEntry("cleared", false)
        .containsEntry("firing", 1L)
        .containsEntry("checks", 1L)
        .containsEntry("source", "notifications received");

    alarm.isResolved().set(true);
    assertThat(Step.of(alarm).run().data())
        .containsEntry("known", true)
        .containsEntry("cleared", true)
        .containsEntry("firing", 0L);
  }

  @Test
  void itAsksAgainUntilTheNotificationComesWithinItsTime() throws Exception {
    Step.TestAlarm alarm = new Step.TestAlarm(Map.of("alarm", "DiskFull"), null);
    Thread resolver =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                return;
              }
              alarm.isResolved().set(true);
            });
    resolver.start();
    StepResult result =
        Step.of(alarm).run("within", Duration.ofSeconds(20), "every", Duration.ofMillis(50));
    resolver.join(5_000);
    assertThat(result.data()).containsEntry("cleared", true);
    assertThat((Long) result.data().get("checks")).isGreaterThan(1L);
  }

  @Test
  void whenTheTimeIsUpItSaysStillFiringRatherThanFail() throws Exception {
    Step.TestAlarm alarm = new Step.TestAlarm(Map.of("alarm", "DiskFull"), null);
    StepResult result =
        Step.of(alarm).run("within", Duration.ofMillis(200), "every", Duration.ofMillis(50));
    assertThat(result.isSuccess()).isTrue();
    assertThat(result.data()).containsEntry("known", true).containsEntry("cleared", false);
    assertThat((Long) result.data().get("checks")).isGreaterThan(1L);
  }

  @Test
  void theQueryQuotesEveryLabelValueSoNoneChangesWhatIsAsked() {
    URI uri =
        AlertmanagerApi.alertsUri(
            URI.create("http://127.0.0.1:9093/"),
            new LinkedHashMap<>(Map.of("host", "a\",b=\"c}\\")));
    assertThat(uri.getRawQuery())
        .isEqualTo(
            "active=true&silenced=true&inhibited=true&filter="
                + "host%3D%22a%5C%22%2Cb%3D%5C%22c%7D%5C%5C%22");
    assertThat(uri.getPath()).isEqualTo("/api/v2/alerts");
  }
}
