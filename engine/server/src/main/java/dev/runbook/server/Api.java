package dev.runbook.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.runbook.engine.Answer;
import dev.runbook.engine.Engine;
import dev.runbook.engine.Refused;
import dev.runbook.engine.RunRequest;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.audit.SigningKey;
import dev.runbook.engine.audit.TrustedKeys;
import dev.runbook.engine.store.StoreUnavailableException;
import dev.runbook.server.http.BearerToken;
import dev.runbook.server.http.Exchanges;
import dev.runbook.server.intake.Alert;
import dev.runbook.server.intake.BadPayload;
import dev.runbook.server.intake.Payloads;
import dev.runbook.server.metrics.ServerMetrics;
import dev.runbook.server.queue.AlertQueue;
import dev.runbook.server.queue.AlertRecord;
import dev.runbook.server.work.Dispatcher;
import dev.runbook.server.work.StepPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The HTTP API, one handler for every path: intake ({@code POST /v1/alertmanager}, {@code POST
 * /v1/alarms}), reads ({@code GET /healthz}, {@code /metrics}, {@code /v1/alerts}, {@code
 * /v1/runs}, {@code /v1/runs/ID}) and a person's part ({@code POST /v1/runs/ID/approve}, {@code
 * POST /v1/runs/ID/answers}). Every answer is JSON (but {@code /metrics}); every error is one line.
 */
final class Api implements HttpHandler {

  private final Engine engine;
  private final Payloads payloads;
  private final Intake intake;
  private final AlertQueue queue;
  private final Dispatcher dispatcher;
  private final ServerMetrics metrics;
  private final BearerToken token;
  private final boolean tokenForEverything;
  private final int maxBody;
  private final Consumer<String> log;

  Api(
      Engine engine,
      Payloads payloads,
      Intake intake,
      AlertQueue queue,
      Dispatcher dispatcher,
      ServerMetrics metrics,
      BearerToken token,
      boolean tokenForEverything,
      int maxBody,
      Consumer<String> log) {
    this.engine = engine;
    this.payloads = payloads;
    this.intake = intake;
    this.queue = queue;
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.token = token;
    this.tokenForEverything = tokenForEverything;
    this.maxBody = maxBody;
    this.log = log;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (Exchanges.TooLarge e) {
      Exchanges.refuseBody(exchange, 413, e.getMessage());
    } catch (BadPayload e) {
      Exchanges.error(exchange, 400, e.getMessage());
    } catch (StoreUnavailableException e) {
      unavailable(exchange, e);
    } catch (UncheckedIOException e) {
      if (!(e.getCause() instanceof StoreUnavailableException down)) {
        throw e;
      }
      unavailable(exchange, down);
    } catch (IOException e) {
      log.accept("request " + exchange.getRequestURI().getRawPath() + " failed: " + e);
      try {
        Exchanges.error(exchange, 500, "internal error: " + e.getMessage());
      } catch (IOException alreadyAnswered) {
        exchange.close();
      }
    } catch (RuntimeException e) {
      log.accept("request " + exchange.getRequestURI().getRawPath() + " failed: " + e);
      Exchanges.error(exchange, 500, "internal error (this is a bug in runbook serve)");
    }
  }

  private void route(HttpExchange exchange) throws IOException, Exchanges.TooLarge, BadPayload {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/healthz")) {
      if (allowed(exchange, method, "GET")) {
        Exchanges.json(exchange, 200, Map.of("status", "ok"));
      }
      return;
    }
    if (tokenForEverything && !token.admits(exchange)) {
      unauthorized(exchange);
      return;
    }
    switch (path) {
      case "/metrics" -> {
        if (allowed(exchange, method, "GET")) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          metrics.write(out);
          Exchanges.text(exchange, 200, metrics.contentType(), out.toByteArray());
        }
      }
      case "/v1/alertmanager" -> {
        if (allowed(exchange, method, "POST")) {
          receive(exchange, payloads.alertmanager(Exchanges.body(exchange, maxBody)));
        }
      }
      case "/v1/alarms" -> {
        if (allowed(exchange, method, "POST")) {
          receive(exchange, payloads.alarm(Exchanges.body(exchange, maxBody)));
        }
      }
      case "/v1/alerts" -> {
        if (allowed(exchange, method, "GET")) {
          alerts(exchange);
        }
      }
      case "/v1/runs" -> {
        if (allowed(exchange, method, "GET")) {
          runs(exchange);
        }
      }
      default -> {
        if (path.startsWith("/v1/runs/")) {
          run(exchange, method, path.substring("/v1/runs/".length()));
        } else {
          Exchanges.error(exchange, 404, "no such path: " + path);
        }
      }
    }
  }

  private static boolean allowed(HttpExchange exchange, String method, String wanted)
      throws IOException {
    if (method.equals(wanted)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", wanted);
    Exchanges.error(exchange, 405, method + " is not allowed here; use " + wanted);
    return false;
  }

  private static void unauthorized(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    Exchanges.error(
        exchange, 401, "a bearer token is needed: Authorization: Bearer TOKEN (runbook serve's)");
  }

  /** The store is out of reach: nothing was recorded; the sender keeps the alert and retries. */
  private void unavailable(HttpExchange exchange, StoreUnavailableException e) throws IOException {
    log.accept("request " + exchange.getRequestURI().getRawPath() + ": " + e.getMessage());
    exchange.getResponseHeaders().set("Retry-After", "5");
    Exchanges.error(
        exchange,
        503,
        "the store cannot be reached now; nothing was recorded; send it again later");
  }

  private void receive(HttpExchange exchange, List<Alert> alerts) throws IOException {
    Intake.Receipt receipt = intake.receive(alerts);
    if (receipt.full()) {
      exchange.getResponseHeaders().set("Retry-After", "5");
      Exchanges.error(
          exchange,
          503,
          queue.waiting()
              + " alerts wait already (the limit is "
              + queue.limit()
              + "); nothing of this request was taken; send it again later");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("received", alerts.size());
    body.put("queued", receipt.queued());
    body.put("alerts", receipt.outcomes());
    Exchanges.json(exchange, 200, body);
  }

  private void alerts(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange);
    List<AlertRecord> records = new ArrayList<>(queue.all());
    Collections.reverse(records);
    String state = query.get("state");
    int limit = number(query.get("limit"), 100);
    List<AlertRecord> shown =
        records.stream()
            .filter(r -> state == null || r.state().name().equalsIgnoreCase(state))
            .limit(limit)
            .toList();
    Exchanges.json(exchange, 200, shown);
  }

  private void runs(HttpExchange exchange) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try {
      List<RunSummary> summaries = RunSummary.all(engine.stateDir());
      List<RunDirectory> dirs = new ArrayList<>();
      for (RunSummary s : summaries) {
        dirs.add(
            new RunDirectory(
                s.runId(), RunDirectory.runsRoot(engine.stateDir()).resolve(s.runId())));
      }
      AuditVerifier.StateReport verified =
          AuditVerifier.verifyState(
              engine.stateDir(), dirs, true, new AuditVerifier.Options(trusted()));
      Map<String, AuditVerifier.Report> byRun = new LinkedHashMap<>();
      verified.runs().forEach(r -> byRun.put(r.runId(), r));
      for (RunSummary s : summaries) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("summary", s);
        AuditVerifier.Report report = byRun.get(s.runId());
        row.put("verdict", report == null ? null : report.verdict().name());
        row.put("problems", report == null ? List.of() : report.findings());
        queue.byRun(s.runId()).ifPresent(a -> row.put("alert", a.key()));
        rows.add(row);
      }
    } catch (Refused e) {
      Exchanges.error(exchange, 500, e.getMessage());
      return;
    }
    Exchanges.json(exchange, 200, rows);
  }

  private void run(HttpExchange exchange, String method, String rest)
      throws IOException, Exchanges.TooLarge, BadPayload {
    String[] parts = rest.split("/", -1);
    String runId = parts[0];
    if (!RunDirectory.isValidId(runId)) {
      Exchanges.error(exchange, 404, "'" + shortened(runId) + "' is not a run id");
      return;
    }
    if (parts.length == 1) {
      if (allowed(exchange, method, "GET")) {
        show(exchange, runId);
      }
      return;
    }
    if (parts.length != 2 || !Set.of("approve", "answers").contains(parts[1])) {
      Exchanges.error(exchange, 404, "no such path: /v1/runs/" + shortened(rest));
      return;
    }
    if (!allowed(exchange, method, "POST")) {
      return;
    }
    // A person's part needs the token even on loopback: whoever can reach the port is not
    // therefore allowed to approve changes.
    if (!token.admits(exchange)) {
      unauthorized(exchange);
      return;
    }
    JsonNode body = bodyJson(Exchanges.body(exchange, maxBody));
    act(exchange, runId, parts[1].equals("approve"), body);
  }

  /** The run's directory, or empty when there is none: then the exchange is answered 404. */
  private Optional<RunDirectory> found(HttpExchange exchange, String runId) throws IOException {
    try {
      return Optional.of(engine.findRun(runId));
    } catch (Refused e) {
      Exchanges.error(exchange, 404, e.getMessage());
      return Optional.empty();
    }
  }

  private void show(HttpExchange exchange, String runId) throws IOException {
    Optional<RunDirectory> found = found(exchange, runId);
    if (found.isEmpty()) {
      return;
    }
    RunDirectory dir = found.get();
    AuditVerifier.Report report = AuditVerifier.verify(dir, new AuditVerifier.Options(trusted()));
    List<Object> lines = new ArrayList<>();
    AuditTrail.read(dir).lines().forEach(l -> lines.add(l.json()));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("verdict", report.verdict().name());
    json.put("problems", report.findings());
    json.put("lines", lines);
    queue.byRun(dir.runId()).ifPresent(a -> json.put("alert", a));
    Exchanges.json(exchange, 200, json);
  }

  /** Approve the change a run waits for, or answer the question it waits on. */
  private void act(HttpExchange exchange, String runId, boolean approve, JsonNode body)
      throws IOException, BadPayload {
    Optional<AlertRecord> record = queue.byRun(runId);
    if (record.isEmpty()) {
      Exchanges.error(
          exchange,
          404,
          "run " + runId + " was not started by this server (runbook resume continues it)");
      return;
    }
    if (dispatcher.busy(record.get().key())) {
      Exchanges.error(exchange, 409, "run " + runId + " is running now; it waits for no one");
      return;
    }
    RunDirectory dir;
    try {
      // The run may have been driven by another server sharing the store: its trail comes here.
      dir = engine.pullRun(runId);
    } catch (Refused e) {
      Exchanges.error(exchange, 404, e.getMessage());
      return;
    }
    AuditTrail trail = AuditTrail.read(dir);
    List<AuditTrail.Line> lines = trail.lines();
    AuditEvent last = lines.isEmpty() ? null : lines.get(lines.size() - 1).event();
    if (!(last instanceof AuditEvent.Paused paused) || paused.wasStopped()) {
      Exchanges.error(exchange, 409, "run " + runId + " is not waiting for a person");
      return;
    }
    String operator = operator(body);
    String note = text(body, "note");
    String from = exchange.getRemoteAddress().getAddress().getHostAddress();
    note = (note == null ? "" : note + " ") + "(through the API from " + from + ")";
    Map<String, Answer> given = new LinkedHashMap<>();
    if (approve) {
      if (!paused.forApproval()) {
        Exchanges.error(
            exchange,
            409,
            "run "
                + runId
                + " waits for an answer at step "
                + paused.step()
                + ", not for an approval: runbook answer "
                + runId
                + " "
                + StepPath.id(paused.step())
                + "=ANSWER");
        return;
      }
      given.put(paused.step(), new Answer("yes", "api", operator, note));
      lines
          .get(lines.size() - 1)
          .time()
          .ifPresent(
              t -> metrics.approvalWait(Duration.between(t, Instant.now()).toMillis() / 1000.0));
    } else {
      if (paused.forApproval()) {
        Exchanges.error(
            exchange,
            409,
            "run "
                + runId
                + " waits for a person to approve its first change (step "
                + paused.step()
                + "): runbook approve "
                + runId);
        return;
      }
      JsonNode answers = body.path("answers");
      if (!answers.isObject() || answers.isEmpty()) {
        throw new BadPayload(
            "'answers' must be an object of STEP: VALUE, such as {\"periodic-check\": \"no\"}");
      }
      Set<String> ids;
      try {
        ids = Engine.stepIds(engine.runbookOf(dir));
      } catch (Refused e) {
        Exchanges.error(exchange, 409, e.getMessage());
        return;
      }
      var fields = answers.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        String id = StepPath.id(field.getKey());
        if (!ids.contains(id) || !field.getValue().isTextual()) {
          throw new BadPayload(
              "answers: '"
                  + shortened(field.getKey())
                  + "' is not a step of run "
                  + runId
                  + " with a text answer");
        }
        given.put(
            field.getKey(),
            new Answer(Answer.normalize(field.getValue().asText()), "api", operator, note));
      }
    }
    boolean taken =
        dispatcher.resume(
            record.get().key(), List.of(new RunRequest.GivenAnswers("api", given)), operator);
    if (!taken) {
      Exchanges.error(exchange, 409, "run " + runId + " is running now; it waits for no one");
      return;
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("run", runId);
    answer.put(approve ? "approved" : "answered", approve ? paused.step() : given.keySet());
    answer.put("by", operator);
    answer.put("status", "the run goes on on the server (GET /v1/runs/" + runId + ")");
    Exchanges.json(exchange, 202, answer);
  }

  private static JsonNode bodyJson(byte[] body) throws BadPayload {
    if (body.length == 0) {
      return Exchanges.JSON.createObjectNode();
    }
    try {
      JsonNode node = Exchanges.JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new BadPayload("the body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new BadPayload("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadPayload("unreadable body");
    }
  }

  /** Who acts, as they name themselves: letters, digits and {@code ._@-}, at most 64. */
  private static String operator(JsonNode body) throws BadPayload {
    String operator = text(body, "operator");
    if (operator == null) {
      return "api";
    }
    if (!operator.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw new BadPayload("operator must be a name of letters, digits and ._@- (at most 64)");
    }
    return operator;
  }

  private static String text(JsonNode body, String field) throws BadPayload {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().length() > 1000) {
      throw new BadPayload("'" + field + "' must be a string of at most 1000 characters");
    }
    return value.asText();
  }

  private static TrustedKeys trusted() {
    try {
      return TrustedKeys.fromEnvironment();
    } catch (SigningKey.Unusable e) {
      return null;
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return query;
  }

  private static int number(String text, int fallback) {
    try {
      return text == null ? fallback : Math.max(1, Math.min(10_000, Integer.parseInt(text)));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String shortened(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
