package dev.runbook.server;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.runbook.engine.Engine;
import dev.runbook.engine.Refused;
import dev.runbook.engine.store.FencedException;
import dev.runbook.engine.store.Store;
import dev.runbook.server.http.BearerToken;
import dev.runbook.server.http.Tls;
import dev.runbook.server.intake.Payloads;
import dev.runbook.server.match.AlertRouter;
import dev.runbook.server.metrics.ServerMetrics;
import dev.runbook.server.notify.Notifier;
import dev.runbook.server.queue.AlertQueue;
import dev.runbook.server.queue.DirectoryQueue;
import dev.runbook.server.queue.SharedQueue;
import dev.runbook.server.queue.SharedQueueProvider;
import dev.runbook.server.shared.ClaimLoop;
import dev.runbook.server.shared.LeasedQueue;
import dev.runbook.server.shared.Leases;
import dev.runbook.server.shared.SharedCustody;
import dev.runbook.server.shared.SharedLocks;
import dev.runbook.server.work.Dispatcher;
import dev.runbook.server.work.Recovery;
import dev.runbook.server.work.RunDriver;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * {@code runbook serve}: alerts in over HTTP, runs out through the engine facade. Built and started
 * by {@link #start}: the library is checked (two runbooks claiming one alarm stop it), the queue is
 * opened and what the last life of the server left open is driven again, workers start, and only
 * then does it listen. {@link #close} stops listening and stops the workers; runs in progress pause
 * as stopped, and the next start resumes them.
 */
public final class RunbookServer implements AutoCloseable {

  private final HttpServer http;
  private final ExecutorService httpThreads;
  private final Dispatcher dispatcher;
  private final AlertQueue queue;
  private final Notifier notifier;
  private final Recovery.Report recovered;
  private final int alarms;
  private final Path tokenFile;
  private final ClaimLoop claims;
  private final Leases leases;

  private RunbookServer(
      HttpServer http,
      ExecutorService httpThreads,
      Dispatcher dispatcher,
      AlertQueue queue,
      Notifier notifier,
      Recovery.Report recovered,
      int alarms,
      Path tokenFile,
      ClaimLoop claims,
      Leases leases) {
    this.claims = claims;
    this.leases = leases;
    this.http = http;
    this.httpThreads = httpThreads;
    this.dispatcher = dispatcher;
    this.queue = queue;
    this.notifier = notifier;
    this.recovered = recovered;
    this.alarms = alarms;
    this.tokenFile = tokenFile;
  }

  /**
   * @param log where the server says what it does (one line each); never a secret
   * @throws Refused a library that cannot be served (an alarm claimed twice), a listen address
   *     other than loopback without a token, TLS files that are not usable
   */
  public static RunbookServer start(Engine engine, ServeOptions options, Consumer<String> log)
      throws Refused, IOException {
    return start(engine, options, SharedOptions.defaults(), log);
  }

  /**
   * As {@link #start(Engine, ServeOptions, Consumer)}; when the engine has a shared store ({@code
   * --store}), the server takes part in it as {@code shared} says: alerts are admitted to the
   * store's queue and run by whichever server claims them.
   */
  public static RunbookServer start(
      Engine engine, ServeOptions options, SharedOptions shared, Consumer<String> log)
      throws Refused, IOException {
    Path stateDir = engine.stateDir();
    Path serveDir = stateDir.resolve("serve");
    if (!options.loopback() && options.token() == null) {
      throw new Refused(
          Refused.Reason.USAGE,
          "listening on "
              + options.listen().getHostString()
              + " (not loopback) needs a bearer token: give --token-file FILE or set"
              + " RUNBOOK_SERVER_TOKEN");
    }
    engine.prepare();
    AlertRouter router = AlertRouter.of(engine);
    DirectoryQueue.createPrivateDirectories(serveDir);
    Path tokenFile = null;
    BearerToken token;
    try {
      if (options.token() != null) {
        token = new BearerToken(options.token());
      } else {
        tokenFile = serveDir.resolve("token");
        token = new BearerToken(localToken(tokenFile));
      }
    } catch (IllegalArgumentException e) {
      throw new Refused(Refused.Reason.USAGE, e.getMessage());
    }
    Optional<SharedQueue> sharedQueue = sharedQueue(engine, options);
    HttpServer http = bind(options);
    Leases leases =
        sharedQueue.isEmpty()
            ? null
            : new Leases(engine.store().locks(), shared.lease(), p -> log.accept(p));
    AlertQueue queue =
        sharedQueue.isEmpty()
            ? DirectoryQueue.open(serveDir, options.queueLimit())
            : new LeasedQueue(sharedQueue.get(), leases);
    ServerMetrics metrics = new ServerMetrics(queue::waiting);
    Notifier notifier =
        new Notifier(options.notifyUrl(), options.notifyFormat(), p -> log.accept("notify: " + p));
    String hint =
        " --server "
            + (http instanceof HttpsServer ? "https" : "http")
            + "://"
            + options.listen().getHostString()
            + ":"
            + http.getAddress().getPort();
    Dispatcher dispatcher;
    Recovery.Report recovered;
    ClaimLoop claims = null;
    Intake intake;
    if (sharedQueue.isEmpty()) {
      RunDriver driver = new RunDriver(engine, queue, metrics, notifier, hint, log);
      dispatcher = new Dispatcher(queue, driver, options.workers(), log);
      recovered = new Recovery(stateDir, queue, dispatcher).recover();
      dispatcher.start();
      intake = new Intake(router, queue, dispatcher::start, metrics, Clock.systemUTC());
    } else {
      String owner = shared.instance();
      RunDriver driver =
          new RunDriver(
              engine, queue, metrics, notifier, hint, log, new SharedLocks(leases, owner));
      dispatcher =
          new Dispatcher(
              queue,
              driver,
              new SharedCustody(sharedQueue.get(), leases, owner),
              options.workers(),
              log);
      // A run's trail lines go to the store under its alert's lease: once another server took the
      // alert over, this one's writes are refused and its run is stopped where it is.
      engine.fenceTrails(
          alarm ->
              alarm == null
                  ? null
                  : leases
                      .writingAs(alarm.id())
                      .orElseThrow(
                          () ->
                              new FencedException(
                                  "alert "
                                      + alarm.id()
                                      + " is no longer held by "
                                      + owner
                                      + " (taken over by another server)")));
      leases.onAlertLost(dispatcher::stop);
      // Runs' locks are leases renewed with the alerts' (SharedLocks), taken before a worker runs.
      engine.leaveStoreLocksToCaller();
      leases.start();
      dispatcher.start();
      claims =
          new ClaimLoop(
              sharedQueue.get(),
              leases,
              dispatcher,
              metrics,
              stateDir,
              owner,
              engine.store().trails(),
              log);
      // What a stopped server left running is claimed like any alert once its leases lapse; what
      // it paused when stopped (SIGTERM) nobody claims: its trails are here, so it resumes here.
      recovered = new Recovery.Report(0, claims.resumeStopped(), 0, 0);
      dispatcher.whenIdle(claims::wake);
      claims.start();
      ClaimLoop wake = claims;
      intake = new Intake(router, queue, key -> wake.wake(), metrics, Clock.systemUTC());
      log.accept(
          "instance "
              + owner
              + " shares "
              + engine.store().describe()
              + " (leases of "
              + shared.lease().toSeconds()
              + " s)");
    }
    Api api =
        new Api(
            engine,
            new Payloads(options.alertmanager()),
            intake,
            queue,
            dispatcher,
            metrics,
            token,
            !options.loopback(),
            options.maxBody(),
            log);
    ExecutorService httpThreads =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "runbook-http");
              t.setDaemon(true);
              return t;
            });
    http.createContext("/", api);
    http.setExecutor(httpThreads);
    http.start();
    return new RunbookServer(
        http,
        httpThreads,
        dispatcher,
        queue,
        notifier,
        recovered,
        router.alarms(),
        tokenFile,
        claims,
        leases);
  }

  /** The queue in the engine's shared store (--store), found through ServiceLoader, or empty. */
  private static Optional<SharedQueue> sharedQueue(Engine engine, ServeOptions options)
      throws Refused {
    if (engine.storeUrl().isEmpty()) {
      return Optional.empty();
    }
    Store store = engine.store();
    for (SharedQueueProvider provider :
        ServiceLoader.load(SharedQueueProvider.class, RunbookServer.class.getClassLoader())) {
      Optional<SharedQueue> queue = provider.queue(store, options.queueLimit());
      if (queue.isPresent()) {
        return queue;
      }
    }
    throw new Refused(
        Refused.Reason.USAGE,
        "runbook serve cannot keep alerts in "
            + store.describe()
            + ": no alert queue for it is installed");
  }

  private static HttpServer bind(ServeOptions options) throws Refused, IOException {
    try {
      if (options.tlsCertificate() == null) {
        return HttpServer.create(options.listen(), 128);
      }
      HttpsServer https = HttpsServer.create(options.listen(), 128);
      https.setHttpsConfigurator(
          new HttpsConfigurator(Tls.context(options.tlsCertificate(), options.tlsKey())));
      return https;
    } catch (Tls.Unusable e) {
      throw new Refused(Refused.Reason.USAGE, e.getMessage());
    } catch (BindException e) {
      throw new Refused(
          Refused.Reason.USAGE,
          "cannot listen on "
              + options.listen().getHostString()
              + ":"
              + options.listen().getPort()
              + ": "
              + e.getMessage());
    }
  }

  /**
   * The token of a loopback server started without one: made once, kept in the state directory
   * readable by its owner only, where {@code runbook approve} finds it.
   */
  private static String localToken(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path fresh = file.resolveSibling("token.tmp");
    Files.deleteIfExists(fresh);
    Files.createFile(
        fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(fresh, token + "\n", StandardCharsets.UTF_8);
    Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
    return token;
  }

  public InetSocketAddress address() {
    return http.getAddress();
  }

  /** What the start found left open: alerts run again, runs resumed, runs settled. */
  public Recovery.Report recovered() {
    return recovered;
  }

  /** How many alarm names select a runbook. */
  public int alarms() {
    return alarms;
  }

  /** Where the token of a loopback server without one is kept, or null. */
  public Path tokenFile() {
    return tokenFile;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    http.stop(0);
    httpThreads.shutdownNow();
    if (claims != null) {
      claims.close();
    }
    dispatcher.close();
    if (leases != null) {
      // Not released: runs that paused as stopped are taken back after the leases lapse.
      leases.close();
    }
    notifier.close();
    queue.close();
  }
}
