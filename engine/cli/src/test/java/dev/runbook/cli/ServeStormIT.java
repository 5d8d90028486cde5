package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.model.Outcome;
import dev.runbook.fixtures.ChildJvm;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.alertmanager.Alertmanager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storm of 1,000 distinct alerts through a real Alertmanager into runbook serve, a child JVM that
 * the test kills with SIGKILL in the middle and starts again: every alert ran once (one run each,
 * one side effect each, none twice), Alertmanager's retries and re-sends made no second run, and
 * every trail verifies. A step cut off by the kill is not idempotent, so it is never re-run
 * blindly: such a run waits for a person, in doubt, and its side effect happened at most once.
 */
class ServeStormIT {

  private static final int ALERTS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyAlertRunsOnceThroughAKillNine() throws Exception {
    Alertmanager.requireInstalled();
    long began = System.nanoTime();
    Path library = Files.createDirectories(dir.resolve("runbooks"));
    Path marks = Files.createDirectories(dir.resolve("marks"));
    Files.writeString(
        library.resolve("storm.yaml"),
        """
        runbook: STORM
        title: One alert, one mark
        alarms: [Storm]
        trigger: {policy: auto}
        params:
          n: {type: int, required: true}
        steps:
          - id: mark
            shell: echo ran >> %s/"${params.n}"
            changes: true
        """
            .formatted(marks));
    Path state = dir.resolve("state");
    Path token = dir.resolve("token");
    Files.writeString(token, "storm-token-0123456789abcdef\n");
    int port = ServeChild.freeLoopbackPort();
    String serverUrl = "http://127.0.0.1:" + port;
    List<String> args =
        List.of(
            "--state-dir",
            state.toString(),
            "--runbooks",
            library.toString(),
            "serve",
            "--listen",
            "127.0.0.1:" + port,
            "--token-file",
            token.toString(),
            "--workers",
            "4");

    ChildJvm first = ChildJvm.start(Main.class, dir, args);
    ChildJvm second = null;
    try (Alertmanager am =
        Alertmanager.start(
            dir.resolve("am"), serverUrl + "/v1/alertmanager", token, Duration.ofMillis(100))) {
      ServeChild.awaitHealthy(http, serverUrl, first, Duration.ofSeconds(60));
      List<Map<String, String>> alerts = new ArrayList<>();
      for (int i = 0; i < ALERTS; i++) {
        alerts.add(Map.of("alertname", "Storm", "n", Integer.toString(i), "severity", "warning"));
      }
      for (int i = 0; i < ALERTS; i += 100) {
        am.fire(alerts.subList(i, i + 100));
      }
      // Kill it in the middle: some runs done, some under way, most not yet received.
      Eventually.within(
          Duration.ofSeconds(120),
          "a third of the alerts to have run",
          () -> marks(marks) >= ALERTS / 3);
      first.kill();
      int markedAtKill = marks(marks);
      second = ChildJvm.start(Main.class, dir, args);
      ServeChild.awaitHealthy(http, serverUrl, second, Duration.ofSeconds(60));
      Eventually.within(
          Duration.ofSeconds(300),
          "every alert to be run (marks " + marks(marks) + ")",
          () -> settled(serverUrl, token) >= ALERTS);

      Map<String, Integer> runsByAlert = new HashMap<>();
      Set<String> inDoubt = new HashSet<>();
      Set<String> cutOff = new HashSet<>();
      int verified = 0;
      for (RunDirectory run : RunSummary.runs(state)) {
        List<AuditEvent> events = AuditTrail.read(run).events();
        if (events.isEmpty()) {
          // A directory made when the kill came, before its first line: nothing ran. audit
          // verify reports it (it cannot tell a crash from a deletion).
          assertThat(AuditVerifier.verify(run).problems())
              .singleElement()
              .asString()
              .startsWith("no trail");
          continue;
        }
        AuditEvent.RunStarted started = (AuditEvent.RunStarted) events.get(0);
        if (events.size() == 1) {
          // Killed between the run's first line and its head: no step began, the trail cannot be
          // resumed, and the server ran the alert in a new run.
          assertThat(AuditVerifier.verify(run).problems())
              .containsExactly(
                  "events.head is missing: cannot tell whether lines were cut off the end");
          cutOff.add(started.trigger().id());
          continue;
        }
        runsByAlert.merge(started.trigger().id(), 1, Integer::sum);
        AuditEvent last = events.get(events.size() - 1);
        if (last instanceof AuditEvent.Paused p) {
          assertThat(p.reason()).isEqualTo("in doubt after a crash");
          inDoubt.add(started.params().get("n"));
        } else {
          assertThat(last)
              .isInstanceOfSatisfying(
                  AuditEvent.RunFinished.class,
                  f -> assertThat(f.outcome()).isEqualTo(Outcome.RESOLVED));
        }
        assertThat(AuditVerifier.verify(run).problems()).as(run.runId()).isEmpty();
        verified++;
      }
      assertThat(runsByAlert).hasSize(ALERTS);
      assertThat(runsByAlert.values()).as("no alert got a second run").containsOnly(1);
      assertThat(verified).isEqualTo(ALERTS);
      assertThat(cutOff).as("only runs under way at the kill").hasSizeLessThanOrEqualTo(4);
      for (int i = 0; i < ALERTS; i++) {
        Path mark = marks.resolve(Integer.toString(i));
        int lines = Files.exists(mark) ? Files.readAllLines(mark).size() : 0;
        if (inDoubt.contains(Integer.toString(i))) {
          assertThat(lines).as("alert %d, cut off by the kill", i).isLessThanOrEqualTo(1);
        } else {
          assertThat(lines).as("alert %d ran once", i).isEqualTo(1);
        }
      }
      assertThat(inDoubt.size())
          .as("at most the 4 workers' steps were cut off")
          .isLessThanOrEqualTo(4);
      System.out.printf(
          "storm: %d alerts, %d marked at the kill, %d in doubt, %d cut off before their first"
              + " step and run anew, %.1f s in all%n",
          ALERTS, markedAtKill, inDoubt.size(), cutOff.size(), (System.nanoTime() - began) / 1e9);
    } finally {
      first.kill();
      System.out.println("first server's log:\n" + ServeChild.log(first.stderr()));
      if (second != null) {
        second.kill();
        System.out.println("second server's log:\n" + ServeChild.log(second.stderr()));
      }
    }
  }

  private static int marks(Path marks) {
    try (Stream<Path> files = Files.list(marks)) {
      return (int) files.count();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Alerts whose run ended or waits for a person, as the server says. */
  private int settled(String serverUrl, Path token) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(serverUrl + "/v1/alerts?limit=10000"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + Files.readString(token).strip())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      int n = 0;
      for (JsonNode alert : JSON.readTree(response.body())) {
        String state = alert.path("state").asText();
        if (state.equals("ENDED") || state.equals("PAUSED")) {
          n++;
        }
      }
      return n;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
