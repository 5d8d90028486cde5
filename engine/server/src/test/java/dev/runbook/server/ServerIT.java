package dev.runbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.Eventually;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runbook serve in this JVM, on loopback, with the real shell plugin: what each kind of request
 * gets, that bad input runs nothing and leaves the server up, that a re-sent alert is one run, and
 * that a run pauses before its first change until it is approved with the token.
 */
class ServerIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Path marks;
  private TestServer server;

  private String runbook() {
    return """
        runbook: DISK-FULL
        title: Disk almost full
        alarms: [DiskFull]
        params:
          host: {type: host, required: true}
        steps:
          - id: look
            shell: echo "looked ${params.host}" >> %1$s
            changes: false
          - id: clean
            shell: echo "cleaned ${params.host}" >> %1$s
            changes: true
          - {id: ok, end: resolved}
        """
        .formatted(marks);
  }

  /** A string parameter that is an operand only in the second step. */
  private String logRunbook() {
    return """
        runbook: LOG-FULL
        title: A log file too large
        alarms: [LogFull]
        params:
          file: {type: string, required: true}
        steps:
          - id: look
            shell: echo "looked at the log" >> %1$s
            changes: false
          - id: compress
            shell: gzip -k ${params.file}
        """
        .formatted(marks);
  }

  @BeforeEach
  void start() throws Exception {
    marks = dir.resolve("marks");
    Files.createFile(marks);
    server =
        new TestServer(dir, Map.of("disk", runbook(), "logs", logRunbook()), TestServer.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private List<String> marks() throws Exception {
    return Files.readAllLines(marks);
  }

  private static String alarm(String id, String host) {
    return "{\"alarm\":\"DiskFull\",\"id\":\"" + id + "\",\"labels\":{\"host\":\"" + host + "\"}}";
  }

  private void healthy() throws Exception {
    assertThat(server.get("/healthz").status()).isEqualTo(200);
  }

  @Test
  void aRunPausesBeforeItsFirstChangeAndGoesOnWhenApprovedWithTheToken() throws Exception {
    TestServer.Reply accepted = server.post("/v1/alarms", alarm("a1", "node-1"));
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(accepted.json().path("alerts").path("alarm:DiskFull/a1").asText())
        .isEqualTo("queued: runbook DISK-FULL");
    Eventually.within(
        DEADLINE,
        "the run to pause for approval",
        () -> state("alarm:DiskFull/a1").equals("PAUSED"));
    assertThat(marks()).containsExactly("looked node-1");
    String run = server.alert("alarm:DiskFull/a1").path("runId").asText();

    byte[] approval =
        "{\"operator\":\"alice\",\"note\":\"night shift\"}".getBytes(StandardCharsets.UTF_8);
    TestServer.Reply noToken = server.post("/v1/runs/" + run + "/approve", approval, null);
    assertThat(noToken.status()).as("approvals need the token even on loopback").isEqualTo(401);
    TestServer.Reply wrongToken =
        server.post("/v1/runs/" + run + "/approve", approval, "x".repeat(43));
    assertThat(wrongToken.status()).isEqualTo(401);
    assertThat(marks()).containsExactly("looked node-1");

    TestServer.Reply approved =
        server.post("/v1/runs/" + run + "/approve", approval, server.token());
    assertThat(approved.status()).as(approved.body()).isEqualTo(202);
    Eventually.within(DEADLINE, "the run to end", () -> state("alarm:DiskFull/a1").equals("ENDED"));
    assertThat(marks()).containsExactly("looked node-1", "cleaned node-1");
    RunDirectory dirOfRun = RunSummary.runs(server.state).get(0);
    assertThat(AuditVerifier.verify(dirOfRun).problems()).isEmpty();
    List<AuditEvent> events = AuditTrail.read(dirOfRun).events();
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.Answered a && a.approval())
        .singleElement()
        .satisfies(
            e -> {
              AuditEvent.Answered a = (AuditEvent.Answered) e;
              assertThat(a.operator()).isEqualTo("alice");
              assertThat(a.via()).isEqualTo("api");
              assertThat(a.note()).isEqualTo("night shift (through the API from 127.0.0.1)");
            });
    assertThat(((AuditEvent.RunStarted) events.get(0)).trigger())
        .isEqualTo(
            new AuditEvent.Trigger(
                "alarms", "DiskFull", "alarm:DiskFull/a1", Map.of("host", "node-1")));
    assertThat(server.get("/v1/runs/" + run).json().path("verdict").asText()).isEqualTo("OK");
  }

  @Test
  void aPauseAndAnEndAreToldToTheWebhookAndOnTheConsoleWithTheCommandThatGoesOn() throws Exception {
    List<String> notices = new CopyOnWriteArrayList<>();
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/hook",
        exchange -> {
          notices.add(
              exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    webhook.start();
    try {
      server.close();
      ServeOptions notifying =
          TestServer.loopback(
              100, 1, URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"));
      server = new TestServer(dir, Map.of("disk", runbook()), notifying);
      String url = "http://127.0.0.1:" + server.server.address().getPort();
      server.post("/v1/alarms", alarm("n1", "node-4"));
      Eventually.within(DEADLINE, "the pause to be told", () -> notices.size() == 1);
      String run = server.alert("alarm:DiskFull/n1").path("runId").asText();
      String paused =
          "run "
              + run
              + " of DISK-FULL (alert DiskFull) waits for a person to approve its first change,"
              + " step 'clean': ";
      assertThat(text(notices.get(0)))
          .startsWith("runbook: " + paused)
          .endsWith(" Approve: runbook approve " + run + " --server " + url);
      assertThat(notices.get(0)).startsWith("application/json ");
      assertThat(server.log).anyMatch(line -> line.startsWith(paused));

      server.post(
          "/v1/runs/" + run + "/approve", "{}".getBytes(StandardCharsets.UTF_8), server.token());
      Eventually.within(DEADLINE, "the end to be told", () -> notices.size() == 2);
      // Its end says no more than the runbook does (an end without a message: no ": null").
      String ended = "run " + run + " of DISK-FULL (alert DiskFull) ended resolved";
      assertThat(text(notices.get(1))).isEqualTo("runbook: " + ended);
      assertThat(server.log).contains(ended);
    } finally {
      webhook.stop(0);
    }
  }

  @Test
  void aReSentAlertIsOneRun() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(server.post("/v1/alarms", alarm("same", "node-2")).status()).isEqualTo(200);
    }
    Eventually.within(
        DEADLINE, "the run to pause", () -> state("alarm:DiskFull/same").equals("PAUSED"));
    assertThat(RunSummary.runs(server.state)).hasSize(1);
    assertThat(marks()).containsExactly("looked node-2");
    assertThat(server.get("/metrics").body())
        .contains("runbook_alerts_deduplicated_total 4.0")
        .contains("runbook_alerts_matched_total 1.0");
  }

  @Test
  void badInputGetsItsAnswerRunsNothingAndTheServerStaysUp() throws Exception {
    TestServer.Reply malformed =
        server.post("/v1/alertmanager", "{\"version\": \"4\", \"alerts\": [");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("error").asText()).startsWith("malformed JSON: ");
    healthy();

    byte[] twentyMegabytes = new byte[20 * 1024 * 1024];
    Arrays.fill(twentyMegabytes, (byte) ' ');
    TestServer.Reply huge = server.post("/v1/alarms", twentyMegabytes, null);
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.json().path("error").asText())
        .isEqualTo("the body is 20971520 bytes; at most 1048576 are taken");
    healthy();

    TestServer.Reply unknown =
        server.post("/v1/alarms", "{\"alarm\":\"NoSuchAlarm\",\"id\":\"u1\"}");
    assertThat(unknown.status()).as("answered 2xx, so the sender does not retry").isEqualTo(200);
    assertThat(unknown.json().path("alerts").path("alarm:NoSuchAlarm/u1").asText())
        .isEqualTo("unmatched: no runbook answers to NoSuchAlarm");

    TestServer.Reply hostile = server.post("/v1/alarms", alarm("h1", "x; touch /tmp/pwned #"));
    assertThat(hostile.status()).isEqualTo(200);
    assertThat(hostile.json().path("alerts").path("alarm:DiskFull/h1").asText())
        .startsWith("rejected: parameter host (host): 'x; touch /tmp/pwned #' is not a host name");
    TestServer.Reply dash = server.post("/v1/alarms", alarm("h2", "--help"));
    assertThat(dash.json().path("alerts").path("alarm:DiskFull/h2").asText())
        .startsWith("rejected: ");
    // a value that no check of its type refuses, but that a later step would read as an option:
    // rejected on arrival, before the first step runs
    TestServer.Reply option =
        server.post(
            "/v1/alarms",
            "{\"alarm\":\"LogFull\",\"id\":\"o1\",\"labels\":{\"file\":\"--stdout\"}}");
    assertThat(option.json().path("alerts").path("alarm:LogFull/o1").asText())
        .startsWith("rejected: step 'compress': ${params.file} begins a word");
    TestServer.Reply unicode = server.post("/v1/alarms", alarm("h3", "nœud-☃"));
    assertThat(unicode.json().path("alerts").path("alarm:DiskFull/h3").asText())
        .startsWith("rejected: ");

    StringBuilder labels = new StringBuilder("\"host\":\"node-9\"");
    for (int i = 0; i < 10_000; i++) {
      labels.append(",\"l").append(i).append("\":\"v\"");
    }
    TestServer.Reply many =
        server.post(
            "/v1/alarms", "{\"alarm\":\"DiskFull\",\"id\":\"m1\",\"labels\":{" + labels + "}}");
    assertThat(many.status()).isEqualTo(400);
    assertThat(many.json().path("error").asText())
        .isEqualTo("the alarm: 10001 labels; an alert may carry at most 200");

    assertThat(server.post("/v1/runs/20261207-000000-abcd/approve", "{}").status())
        .as("no token")
        .isEqualTo(401);
    assertThat(server.get("/v1/alarms").status()).isEqualTo(405);
    assertThat(server.get("/nothing-here").status()).isEqualTo(404);
    healthy();

    assertThat(marks()).as("nothing ran").isEmpty();
    assertThat(RunSummary.runs(server.state)).isEmpty();
    assertThat(Path.of("/tmp/pwned")).doesNotExist();
    JsonNode rejected = server.get("/v1/alerts?state=rejected").json();
    assertThat(rejected).hasSize(4);
    assertThat(server.get("/metrics").body())
        .contains("runbook_alerts_rejected_total 4.0")
        .contains("runbook_alerts_unmatched_total 1.0");
  }

  @Test
  void pastTheQueueLimitTheSenderIsToldToRetryAndNothingIsDropped() throws Exception {
    server.close();
    Path other = Files.createDirectories(dir.resolve("small"));
    ServeOptions small = TestServer.loopback(2, 1, null);
    // One worker, a queue of 2, and a runbook whose first step holds the worker.
    String slow =
        """
        runbook: SLOW
        title: Slow
        alarms: [Slow]
        params:
          n: {type: int, required: true}
        steps:
          - {id: hold, shell: "sleep 2", changes: false}
        """;
    server = new TestServer(other, Map.of("slow", slow), small);
    int accepted = 0;
    int turnedAway = 0;
    String retryAfter = null;
    for (int i = 0; i < 6; i++) {
      TestServer.Reply reply =
          server.post(
              "/v1/alarms",
              "{\"alarm\":\"Slow\",\"id\":\"s" + i + "\",\"labels\":{\"n\":\"" + i + "\"}}");
      if (reply.status() == 503) {
        turnedAway++;
        retryAfter = reply.retryAfter();
      } else {
        assertThat(reply.status()).isEqualTo(200);
        accepted++;
      }
    }
    assertThat(turnedAway).isPositive();
    assertThat(retryAfter).isEqualTo("5");
    int acceptedAlerts = accepted;
    Eventually.within(
        Duration.ofSeconds(60),
        "every accepted alert to run",
        () -> {
          try {
            return RunSummary.runs(server.state).size() == acceptedAlerts
                && server.get("/v1/alerts?state=ended").json().size() == acceptedAlerts;
          } catch (Exception e) {
            return false;
          }
        });
  }

  @Test
  void aRunKilledBetweenItsFirstLineAndItsHeadRunsAgainInANewRun() throws Exception {
    server.post("/v1/alarms", alarm("k1", "node-3"));
    Eventually.within(
        DEADLINE, "the run to pause", () -> state("alarm:DiskFull/k1").equals("PAUSED"));
    server.close();
    // What a kill -9 right after the run's first line leaves: that line, no head, and the
    // queue's record of a run under way.
    RunDirectory run = RunSummary.runs(server.state).get(0);
    String first = Files.readAllLines(run.events()).get(0);
    Files.writeString(run.events(), first + "\n");
    Files.delete(run.head());
    Path queue = server.state.resolve("serve").resolve("alerts.jsonl");
    List<String> lines = Files.readAllLines(queue);
    String record = lines.get(lines.size() - 1);
    Files.writeString(
        queue,
        record.replace("\"state\":\"PAUSED\"", "\"state\":\"RUNNING\"") + "\n",
        StandardOpenOption.APPEND);
    Files.writeString(marks, "");

    server =
        new TestServer(dir, Map.of("disk", runbook(), "logs", logRunbook()), TestServer.loopback());
    assertThat(server.server.recovered().resumed()).isEqualTo(1);
    Eventually.within(
        DEADLINE,
        "the alert's new run to pause",
        () -> state("alarm:DiskFull/k1").equals("PAUSED"));
    JsonNode alert = server.alert("alarm:DiskFull/k1");
    assertThat(alert.path("runId").asText()).isNotEqualTo(run.runId());
    assertThat(RunSummary.runs(server.state)).hasSize(2);
    assertThat(marks()).containsExactly("looked node-3");
    assertThat(String.join("\n", server.log)).contains("was cut off before its first step");
  }

  @Test
  void aRunThatEndedBeforeItsRecordSaidSoKeepsItsOutcome() throws Exception {
    server.post("/v1/alarms", alarm("k2", "node-4"));
    Eventually.within(
        DEADLINE, "the run to pause", () -> state("alarm:DiskFull/k2").equals("PAUSED"));
    String run = server.alert("alarm:DiskFull/k2").path("runId").asText();
    server.post(
        "/v1/runs/" + run + "/approve",
        "{\"operator\":\"alice\"}".getBytes(StandardCharsets.UTF_8),
        server.token());
    Eventually.within(DEADLINE, "the run to end", () -> state("alarm:DiskFull/k2").equals("ENDED"));
    server.close();
    // What a kill -9 between the run's last line and the alert's record leaves: a trail that
    // ended, and the queue's record of a run under way. The restarted server reads the outcome
    // from the trail (a server sharing a store that takes such an alert over does the same).
    Path queue = server.state.resolve("serve").resolve("alerts.jsonl");
    List<String> lines = Files.readAllLines(queue);
    String record = lines.get(lines.size() - 1);
    Files.writeString(
        queue,
        record
                .replace("\"state\":\"ENDED\"", "\"state\":\"RUNNING\"")
                .replace("\"outcome\":\"resolved\"", "\"outcome\":null")
            + "\n",
        StandardOpenOption.APPEND);

    server =
        new TestServer(dir, Map.of("disk", runbook(), "logs", logRunbook()), TestServer.loopback());
    Eventually.within(
        DEADLINE,
        "the alert to be recorded ended",
        () -> state("alarm:DiskFull/k2").equals("ENDED"));
    JsonNode alert = server.alert("alarm:DiskFull/k2");
    assertThat(alert.path("outcome").asText()).as("the trail's outcome").isEqualTo("resolved");
    assertThat(alert.path("runId").asText()).isEqualTo(run);
    assertThat(marks()).containsExactly("looked node-4", "cleaned node-4");
    assertThat(server.server.recovered().settled())
        .as("settled from the trail, not run")
        .isEqualTo(1);
  }

  /** The text of a Slack-style notice received as "CONTENT-TYPE BODY". */
  private static String text(String notice) throws Exception {
    return TestServer.JSON
        .readTree(notice.substring(notice.indexOf(' ') + 1))
        .path("text")
        .asText();
  }

  private String state(String key) {
    try {
      JsonNode alert = server.alert(key);
      return alert == null ? "" : alert.path("state").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
