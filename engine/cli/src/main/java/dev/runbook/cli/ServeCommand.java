package dev.runbook.cli;

import dev.runbook.engine.model.Durations;
import dev.runbook.server.RunbookServer;
import dev.runbook.server.ServeOptions;
import dev.runbook.server.SharedOptions;
import dev.runbook.server.notify.Notifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    description = {
      "Run runbooks when alerts arrive (Alertmanager or any sender).",
      "POST /v1/alertmanager takes Alertmanager's webhook, POST /v1/alarms a plain",
      "JSON alarm {alarm, id, status, labels}. An alert whose name is one of a",
      "runbook's alarms: starts it, its labels filling the parameters they name.",
      "A run does every step that changes nothing by itself, then pauses before its",
      "first change until a person runs 'runbook approve RUN' (a runbook with",
      "trigger: {policy: auto} goes on by itself); a question waits for 'runbook",
      "answer RUN STEP=ANSWER'. The console says when a run waits and when it ends.",
      "Every accepted alert runs once, also across a kill -9. Ctrl-C or SIGTERM",
      "stops the server: runs in progress pause, and the next start resumes them.",
      "With --store postgresql://USER@HOST:PORT/DB (or RUNBOOK_STORE), several",
      "servers share one queue: an alert sent to any (or all) of them runs once, on",
      "whichever claims it; runbook locks hold across them. A server that dies loses",
      "its alerts to the others once its leases lapse (--lease); a run that may have",
      "been mid-step there pauses for a person, never runs twice. Trails stay in",
      "each server's --state-dir. docs/scale-out.md: what is shared, what is not.",
      "docs/serve.md: an Alertmanager configuration, the API, the metrics."
    })
final class ServeCommand extends BaseCommand {

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Where to listen (default 127.0.0.1:9095). Not loopback: needs a token.")
  String listen = "127.0.0.1:" + ServeOptions.DEFAULT_PORT;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "The bearer token (default: $RUNBOOK_SERVER_TOKEN; on loopback without one, a token is"
              + " made in STATE/serve/token). Approvals and answers always need it.")
  Path tokenFile;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this chain.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The PKCS#8 key of --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--max-body",
      paramLabel = "BYTES",
      description = "The largest request body taken (default 1048576); larger ones get 413.")
  int maxBody = ServeOptions.DEFAULT_MAX_BODY;

  @Option(
      names = "--queue-limit",
      paramLabel = "N",
      description = "Alerts that may wait for a worker (default 10000); past it, 503 Retry-After.")
  int queueLimit = ServeOptions.DEFAULT_QUEUE_LIMIT;

  @Option(names = "--workers", paramLabel = "N", description = "Runs going on at once (default 4).")
  int workers = ServeOptions.DEFAULT_WORKERS;

  @Option(
      names = "--alertmanager",
      paramLabel = "URL",
      description =
          "Alertmanager's URL, for alarm.cleared to ask its API v2 whether an alert still"
              + " fires (without it: the resolved notifications received).")
  URI alertmanager;

  @Option(
      names = "--notify",
      paramLabel = "URL",
      description = "A webhook told when a run pauses for a person or ends.")
  URI notify;

  @Option(
      names = "--notify-format",
      paramLabel = "slack|plain",
      description = "Slack-compatible JSON {\"text\": …} (default) or plain text.")
  Notifier.Format notifyFormat = Notifier.Format.SLACK;

  @Option(
      names = "--instance",
      paramLabel = "NAME",
      description =
          "This server's name among those sharing --store (default HOST:PID); a takeover names"
              + " the server it took over from.")
  String instance;

  @Option(
      names = "--lease",
      paramLabel = "DURATION",
      description =
          "With --store: how long an alert's or lock's lease lasts unless renewed (default 30s;"
              + " renewed every third of it). Another server takes a dead one's alerts this long"
              + " after it died.")
  String lease;

  @Override
  public Integer call() throws Exception {
    ServeOptions options =
        new ServeOptions(
            address(listen),
            token(),
            tlsCert,
            tlsKey,
            positive(maxBody, "--max-body"),
            positive(queueLimit, "--queue-limit"),
            positive(workers, "--workers"),
            url(alertmanager, "--alertmanager"),
            url(notify, "--notify"),
            notifyFormat);
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new UserException(ExitCodes.USAGE, "--tls-cert and --tls-key go together");
    }
    RunbookServer server =
        RunbookServer.start(
            session().engine(),
            options,
            shared(),
            // A line may quote an alert's label: shown escaped, like a run's output.
            line -> err().println("runbook serve: " + Visible.text(line)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception e) {
                    System.err.println("runbook serve: stopping: " + e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "runbook-serve-stop"));
    String scheme = tlsCert == null ? "http" : "https";
    out()
        .println(
            "runbook serve: listening on "
                + scheme
                + "://"
                + options.listen().getHostString()
                + ":"
                + server.address().getPort()
                + " ("
                + Session.count(server.alarms(), "alarm name")
                + (server.alarms() == 1 ? " selects" : " select")
                + " a runbook; POST /v1/alertmanager, /v1/alarms)");
    var recovered = server.recovered();
    if (recovered.queued() + recovered.resumed() + recovered.settled() + recovered.restarted()
        > 0) {
      out()
          .println(
              "runbook serve: after the last stop: "
                  + recovered.queued()
                  + " queued alerts run, "
                  + recovered.resumed()
                  + " runs resumed, "
                  + recovered.restarted()
                  + " runs started again (nothing of them had run), "
                  + recovered.settled()
                  + " found ended or waiting");
    }
    if (server.tokenFile() != null) {
      out()
          .println(
              "runbook serve: approvals need the token in "
                  + server.tokenFile()
                  + " (runbook approve reads it there)");
    }
    out().flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private SharedOptions shared() {
    Duration ttl = SharedOptions.DEFAULT_LEASE;
    if (lease != null) {
      try {
        ttl = Durations.parse(lease);
      } catch (IllegalArgumentException e) {
        throw new UserException(ExitCodes.USAGE, "--lease " + lease + ": " + e.getMessage());
      }
    }
    try {
      return new SharedOptions(instance == null ? SharedOptions.defaultInstance() : instance, ttl);
    } catch (IllegalArgumentException e) {
      throw new UserException(
          ExitCodes.USAGE, (instance != null ? "--instance/" : "") + "--lease: " + e.getMessage());
    }
  }

  private String token() throws IOException {
    if (tokenFile != null) {
      if (!Files.isRegularFile(tokenFile)) {
        throw new UserException(ExitCodes.USAGE, "--token-file " + tokenFile + ": no such file");
      }
      return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    }
    String env = System.getenv("RUNBOOK_SERVER_TOKEN");
    return env == null || env.isBlank() ? null : env.strip();
  }

  static InetSocketAddress address(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new UserException(
          ExitCodes.USAGE, "--listen " + text + ": give HOST:PORT, such as 127.0.0.1:9095");
    }
    String host = text.substring(0, colon).replaceAll("^\\[|\\]$", "");
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new UserException(
          ExitCodes.USAGE, "--listen " + text + ": the port must be a number from 0 to 65535");
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UserException(ExitCodes.USAGE, "--listen " + text + ": unknown host " + host);
    }
    return address;
  }

  private static int positive(int value, String option) {
    if (value < 1) {
      throw new UserException(ExitCodes.USAGE, option + " must be at least 1, not " + value);
    }
    return value;
  }

  private static URI url(URI url, String option) {
    if (url != null
        && (url.getScheme() == null
            || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
            || url.getHost() == null)) {
      throw new UserException(ExitCodes.USAGE, option + " " + url + ": give an http(s) URL");
    }
    return url;
  }
}
