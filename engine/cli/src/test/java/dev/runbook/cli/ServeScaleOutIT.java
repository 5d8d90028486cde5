package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.ChildJvm;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.Processes;
import dev.runbook.fixtures.postgresql.PostgresServer;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code runbook serve} child JVMs sharing one real PostgreSQL ({@code --store}), each with
 * its own state directory, on loopback ports:
 *
 * <ol>
 *   <li>60 alerts spread over three servers, every third one sent to two of them (as Alertmanager
 *       in HA sends to every receiver): each ran exactly once (one side effect, one run, in one
 *       server's trails, which verify), and runs holding one runbook {@code lock:} never overlapped
 *       although they ran on different servers;
 *   <li>the server running a slow step is killed with SIGKILL: once its lease lapses another server
 *       takes the alert over and resumes the run from the trail the store keeps, under the crash
 *       rules: the step may have run and is not idempotent, so the run waits for a person ({@code
 *       /v1/alerts}, {@code /metrics}) and nothing runs again; a person answers at the third
 *       server, which brings the trail from the store;
 *   <li>PostgreSQL stopped: a server answers 503 with Retry-After and records nothing; started
 *       again, the same alert is taken and runs once;
 *   <li>a server stopped with SIGTERM mid-step pauses its run, nobody else claims it, and started
 *       again on its state directory it resumes it (the idempotent step cut off runs again);
 *   <li>a server frozen with SIGSTOP mid-step past its lease: the other takes the run over; woken
 *       with SIGCONT, the frozen server finds its lease taken, stops the step's processes and
 *       writes nothing more (fencing), so what the other recorded stands.
 * </ol>
 */
class ServeScaleOutIT {

  private static final int SERVERS = 3;
  private static final int ALERTS = 60;
  private static final int TARGETS = 4;
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private String token;

  @Test
  void alertsRunOnceAcrossServersAndADeadOrFrozenServersRunGoesOnElsewhere() throws Exception {
    assumeTrue(PostgresServer.installed(), "PostgreSQL 15 (Debian's postgresql) is not installed");
    Path library = Files.createDirectories(dir.resolve("runbooks"));
    Path marks = Files.createDirectories(dir.resolve("marks"));
    Path held = Files.createDirectories(dir.resolve("held"));
    Files.writeString(
        library.resolve("mark.yaml"),
        """
        runbook: MARK
        title: One alert, one mark; one run per target at a time
        alarms: [Mark]
        trigger: {policy: auto}
        params:
          n: {type: int, required: true}
          t: {type: int, required: true}
        lock: target-${params.t}
        steps:
          - id: mark
            shell: >-
              echo ran >> %1$s/"${params.n}";
              echo "begin ${params.n}" >> %2$s/"${params.t}"; sleep 0.2;
              echo "end ${params.n}" >> %2$s/"${params.t}"
            changes: true
        """
            .formatted(marks, held));
    Files.writeString(
        library.resolve("slow.yaml"),
        """
        runbook: SLOW
        title: A step long enough to be killed in
        alarms: [Slow]
        trigger: {policy: auto}
        params:
          n: {type: int, required: true}
        steps:
          - id: mark
            shell: echo ran >> %s/slow-"${params.n}"; sleep 60
            changes: true
        """
            .formatted(marks));
    Files.writeString(
        library.resolve("again.yaml"),
        """
        runbook: AGAIN
        title: An idempotent step long enough to be stopped in
        alarms: [Again]
        trigger: {policy: auto}
        params:
          n: {type: int, required: true}
        steps:
          - id: mark
            shell: echo ran >> %s/again-"${params.n}"; sleep 4
            changes: true
            idempotent: true
        """
            .formatted(marks));
    Files.writeString(
        library.resolve("frozen.yaml"),
        """
        runbook: FROZEN
        title: A step its server is frozen in
        alarms: [Frozen]
        trigger: {policy: auto}
        params:
          n: {type: int, required: true}
        steps:
          - id: mark
            shell: >-
              echo $$ > %1$s/frozen-pid; echo ran >> %1$s/frozen-"${params.n}";
              sleep 45; echo finished >> %1$s/frozen-"${params.n}"
            changes: true
        """
            .formatted(marks));
    Path tokenFile = dir.resolve("token");
    token = "scale-out-token-0123456789abcdef";
    Files.writeString(tokenFile, token + "\n");

    try (PostgresServer pg = PostgresServer.start()) {
      List<ChildJvm> servers = new ArrayList<>();
      List<String> urls = new ArrayList<>();
      List<Path> states = new ArrayList<>();
      List<List<String>> args = new ArrayList<>();
      try {
        for (int i = 0; i < SERVERS; i++) {
          int port = ServeChild.freeLoopbackPort();
          Path state = dir.resolve("state-" + i);
          states.add(state);
          urls.add("http://127.0.0.1:" + port);
          args.add(
              List.of(
                  "--state-dir",
                  state.toString(),
                  "--runbooks",
                  library.toString(),
                  "--store",
                  pg.url(),
                  "serve",
                  "--listen",
                  "127.0.0.1:" + port,
                  "--token-file",
                  tokenFile.toString(),
                  "--workers",
                  "2",
                  "--instance",
                  "server-" + i,
                  "--lease",
                  LEASE.toSeconds() + "s"));
          servers.add(ChildJvm.start(Main.class, dir, args.get(i)));
        }
        for (int i = 0; i < SERVERS; i++) {
          ServeChild.awaitHealthy(http, urls.get(i), servers.get(i), Duration.ofSeconds(90));
        }

        // 1. Sixty alerts over three servers, every third one sent to two of them.
        long began = System.nanoTime();
        int duplicatesSent = 0;
        for (int n = 0; n < ALERTS; n++) {
          String body = alarm("Mark", "m" + n, Map.of("n", "" + n, "t", "" + n % TARGETS));
          assertThat(post(urls.get(n % SERVERS), body).statusCode()).isEqualTo(200);
          if (n % 3 == 0) {
            assertThat(post(urls.get((n + 1) % SERVERS), body).statusCode()).isEqualTo(200);
            duplicatesSent++;
          }
        }
        Eventually.within(
            Duration.ofSeconds(120),
            "every alert's run to end",
            () -> count(urls.get(0), "alarm:Mark/", "ENDED") == ALERTS);
        double drained = (System.nanoTime() - began) / 1e9;
        Map<String, Integer> runsByAlert = new HashMap<>();
        Map<String, Integer> runsByServer = new TreeMap<>();
        for (int i = 0; i < SERVERS; i++) {
          for (RunDirectory run : RunSummary.runs(states.get(i))) {
            List<AuditEvent> events = AuditTrail.read(run).events();
            AuditEvent.RunStarted started = (AuditEvent.RunStarted) events.get(0);
            runsByAlert.merge(started.trigger().id(), 1, Integer::sum);
            runsByServer.merge("server-" + i, 1, Integer::sum);
            assertThat(AuditVerifier.verify(run).problems()).as(run.runId()).isEmpty();
          }
        }
        assertThat(runsByAlert).hasSize(ALERTS);
        assertThat(runsByAlert.values()).as("no alert ran twice").containsOnly(1);
        int duplicateMarks = 0;
        for (int n = 0; n < ALERTS; n++) {
          int lines = Files.readAllLines(marks.resolve("" + n)).size();
          duplicateMarks += lines - 1;
          assertThat(lines).as("alert %d's side effect", n).isEqualTo(1);
        }
        for (int t = 0; t < TARGETS; t++) {
          List<String> lines = Files.readAllLines(held.resolve("" + t));
          assertThat(lines).hasSize(2 * ALERTS / TARGETS);
          for (int i = 0; i < lines.size(); i += 2) {
            assertThat(lines.get(i + 1))
                .as("lock target-%d: run %s ended before the next began", t, lines.get(i))
                .isEqualTo(lines.get(i).replace("begin", "end"));
          }
        }
        assertThat(runsByServer).as("every server ran some").hasSize(SERVERS);

        // 2. The server running a slow step is killed; another takes the alert over.
        assertThat(post(urls.get(0), alarm("Slow", "slow-1", Map.of("n", "1"))).statusCode())
            .isEqualTo(200);
        Path slowMark = marks.resolve("slow-1");
        Eventually.within(
            Duration.ofSeconds(30), "the slow step to begin", () -> Files.exists(slowMark));
        int victim = serverRunning("SLOW", states);
        long killed = System.nanoTime();
        servers.get(victim).kill();
        String survivor = urls.get((victim + 1) % SERVERS);
        String runId = alert(survivor, "alarm:Slow/slow-1").path("runId").asText();
        assertThat(runId)
            .as("the slow alert's run id, recorded before its first step")
            .isNotEmpty();
        // The run's trail is in the store line by line, its unsafe step's start among them: a
        // survivor resumes it from there under the crash rules, and the step in doubt waits for a
        // person instead of running again.
        Eventually.within(
            Duration.ofSeconds(30),
            "another server to take the run over and pause at the step in doubt",
            () -> {
              JsonNode slow = alert(survivor, "alarm:Slow/slow-1");
              return "PAUSED".equals(slow.path("state").asText())
                  && slow.path("reason").asText().contains("may or may not have taken effect");
            });
        double takeover = (System.nanoTime() - killed) / 1e9;
        JsonNode slow = alert(survivor, "alarm:Slow/slow-1");
        assertThat(slow.path("runId").asText()).as("the same run, resumed").isEqualTo(runId);
        int resumer = -1;
        for (int i = 0; i < SERVERS; i++) {
          if (i != victim
              && metrics(urls.get(i))
                  .contains("runbook_alerts_taken_over_total{outcome=\"resumed\"} 1.0")) {
            assertThat(resumer).as("only one survivor took the run over").isEqualTo(-1);
            resumer = i;
          }
        }
        assertThat(resumer).as("a survivor counting the takeover as resumed").isNotEqualTo(-1);
        assertThat(takeover).as("taken over after the lease lapsed").isGreaterThan(1.0);

        // A person answers at the third server, which never ran it: the trail comes from the
        // store there, the answer 'no' counts the step as failed, and nothing runs again.
        int third = 3 - victim - resumer;
        HttpResponse<String> answered =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(urls.get(third) + "/v1/runs/" + runId + "/answers"))
                    .timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"operator\": \"it-person\", \"answers\": {\"mark\": \"no\"}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(202);
        Eventually.within(
            Duration.ofSeconds(30),
            "the answered run to end",
            () -> "ENDED".equals(alert(survivor, "alarm:Slow/slow-1").path("state").asText()));
        assertThat(alert(survivor, "alarm:Slow/slow-1").path("outcome").asText())
            .isEqualTo("failed");
        RunDirectory answeredThere = RunDirectory.find(states.get(third), runId);
        assertThat(AuditVerifier.verify(answeredThere).findings()).isEmpty();
        assertThat(AuditTrail.read(answeredThere).events())
            .filteredOn(e -> e instanceof AuditEvent.Resumed)
            .hasSize(2); // by the survivor after the kill, by the person's answer

        // 3. PostgreSQL down: 503 with Retry-After, nothing recorded; up again: taken, run once.
        String lateBody = alarm("Mark", "late", Map.of("n", "1000", "t", "0"));
        pg.stop();
        HttpResponse<String> refused = post(survivor, lateBody);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        pg.startServer();
        Eventually.within(
            Duration.ofSeconds(60),
            "the server to take the alert once PostgreSQL is back",
            () -> {
              try {
                return post(survivor, lateBody).statusCode() == 200;
              } catch (IOException e) {
                return false;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            });
        Eventually.within(
            Duration.ofSeconds(60),
            "the late alert's run to end",
            () -> "ENDED".equals(alert(survivor, "alarm:Mark/late").path("state").asText()));
        assertThat(Files.readAllLines(marks.resolve("1000"))).hasSize(1);

        // 4. A server stopped with SIGTERM mid-step pauses its run; started again on its state
        // directory, it resumes it (nobody else claims a paused alert), and the idempotent step
        // cut off runs again.
        String again = survivor;
        assertThat(post(again, alarm("Again", "again-1", Map.of("n", "1"))).statusCode())
            .isEqualTo(200);
        Path againMark = marks.resolve("again-1");
        Eventually.within(
            Duration.ofSeconds(30), "the idempotent step to begin", () -> Files.exists(againMark));
        int stopped = serverRunning("AGAIN", states);
        new ProcessBuilder("kill", "-TERM", Long.toString(servers.get(stopped).pid()))
            .start()
            .waitFor();
        // 143: the JVM ends by the signal, after its shutdown hook stopped the server.
        assertThat(servers.get(stopped).waitFor(Duration.ofSeconds(30))).isIn(0, 143);
        int other = 3 - victim - stopped; // the third server, still up
        JsonNode pausedByStop = alert(urls.get(other), "alarm:Again/again-1");
        assertThat(pausedByStop.path("state").asText()).isEqualTo("PAUSED");
        assertThat(pausedByStop.path("reason").asText()).contains("stopped by a signal");
        servers.set(stopped, ChildJvm.start(Main.class, dir, args.get(stopped)));
        ServeChild.awaitHealthy(
            http, urls.get(stopped), servers.get(stopped), Duration.ofSeconds(90));
        Eventually.within(
            Duration.ofSeconds(60),
            "the restarted server to resume and end the stopped run",
            () ->
                "ENDED"
                    .equals(
                        alert(urls.get(stopped), "alarm:Again/again-1").path("state").asText()));
        assertThat(ServeChild.log(servers.get(stopped).stdout())).contains("1 runs resumed");
        assertThat(Files.readAllLines(againMark))
            .as("the idempotent step, cut off, ran again")
            .hasSize(2);
        assertThat(Files.readAllLines(slowMark))
            .as("the killed step ran once, never again")
            .hasSize(1);
        // 5. A server frozen (SIGSTOP) past its lease mid-step: the other live server takes the
        // run over from the store and pauses at the step in doubt. Woken (SIGCONT), the frozen
        // server finds its lease taken: it stops the step's processes and records nothing more.
        assertThat(
                post(urls.get(other), alarm("Frozen", "frozen-1", Map.of("n", "1"))).statusCode())
            .isEqualTo(200);
        Path frozenMark = marks.resolve("frozen-1");
        Path stepPidFile = marks.resolve("frozen-pid");
        Eventually.within(
            Duration.ofSeconds(30),
            "the step to begin",
            () -> Files.exists(frozenMark) && Files.exists(stepPidFile));
        long stepPid = Long.parseLong(Files.readString(stepPidFile).strip());
        int frozen = serverRunning("FROZEN", states);
        int awake = frozen == other ? stopped : other;
        new ProcessBuilder("kill", "-STOP", Long.toString(servers.get(frozen).pid()))
            .start()
            .waitFor();
        long frozeAt = System.nanoTime();
        try {
          Eventually.within(
              Duration.ofSeconds(30),
              "the awake server to take the frozen server's run over",
              () -> {
                JsonNode f = alert(urls.get(awake), "alarm:Frozen/frozen-1");
                return "PAUSED".equals(f.path("state").asText())
                    && f.path("reason").asText().contains("may or may not have taken effect");
              });
        } finally {
          new ProcessBuilder("kill", "-CONT", Long.toString(servers.get(frozen).pid()))
              .start()
              .waitFor();
        }
        double frozenTakeover = (System.nanoTime() - frozeAt) / 1e9;
        assertThat(Processes.isRunning(stepPid)).as("the step, still running when woken").isTrue();
        Eventually.within(
            Duration.ofSeconds(20),
            "the woken server to stop the step it was in",
            () -> !Processes.isRunning(stepPid));
        Eventually.within(
            Duration.ofSeconds(10),
            "the woken server to say its run was taken over",
            () ->
                (ServeChild.log(servers.get(frozen).stdout())
                        + ServeChild.log(servers.get(frozen).stderr()))
                    .contains("its run here stopped"));
        JsonNode afterWake = alert(urls.get(awake), "alarm:Frozen/frozen-1");
        assertThat(afterWake.path("state").asText())
            .as("what the awake server recorded stands")
            .isEqualTo("PAUSED");
        assertThat(afterWake.path("reason").asText()).contains("may or may not have taken effect");
        assertThat(Files.readAllLines(frozenMark))
            .as("ran once, never finished")
            .containsExactly("ran");
        System.out.printf(
            "scale-out: server-%d frozen mid-step; run taken over in %.1f s; its step stopped when"
                + " woken%n",
            frozen, frozenTakeover);
        System.out.printf(
            "scale-out: %d alerts (%d sent twice) over %d servers, runs per server %s, drained in"
                + " %.1f s, %d duplicate side effects; server-%d killed mid-step, taken over in"
                + " %.1f s (lease %d s)%n",
            ALERTS,
            duplicatesSent,
            SERVERS,
            runsByServer,
            drained,
            duplicateMarks,
            victim,
            takeover,
            LEASE.toSeconds());
      } finally {
        for (int i = 0; i < servers.size(); i++) {
          servers.get(i).kill();
          System.out.println("server-" + i + "'s log:\n" + ServeChild.log(servers.get(i).stderr()));
        }
      }
    }
  }

  /** The server whose trails hold a run of this runbook. */
  private static int serverRunning(String runbook, List<Path> states) throws IOException {
    for (int i = 0; i < states.size(); i++) {
      for (RunDirectory run : RunSummary.runs(states.get(i))) {
        List<AuditEvent> events = AuditTrail.read(run).events();
        if (!events.isEmpty()
            && events.get(0) instanceof AuditEvent.RunStarted started
            && started.runbook().equals(runbook)) {
          return i;
        }
      }
    }
    throw new AssertionError("no server's trails hold a run of " + runbook);
  }

  private static String alarm(String name, String id, Map<String, String> labels)
      throws IOException {
    return JSON.writeValueAsString(
        Map.of("alarm", name, "id", id, "status", "firing", "labels", labels));
  }

  private HttpResponse<String> post(String url, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + "/v1/alarms"))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode alerts(String url) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/alerts?limit=10000"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.nullNode();
    } catch (IOException e) {
      return JSON.nullNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JSON.nullNode();
    }
  }

  private int count(String url, String keyPrefix, String state) {
    int n = 0;
    for (JsonNode alert : alerts(url)) {
      if (alert.path("key").asText().startsWith(keyPrefix)
          && alert.path("state").asText().equals(state)) {
        n++;
      }
    }
    return n;
  }

  private JsonNode alert(String url, String key) {
    for (JsonNode alert : alerts(url)) {
      if (alert.path("key").asText().equals(key)) {
        return alert;
      }
    }
    return JSON.missingNode();
  }

  private String metrics(String url) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
