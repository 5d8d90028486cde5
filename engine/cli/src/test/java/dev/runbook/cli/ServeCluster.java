package dev.runbook.cli;

import dev.runbook.engine.store.DirectoryStore;
import dev.runbook.engine.store.Store;
import dev.runbook.engine.store.StoreProvider;
import dev.runbook.engine.store.StoreUrl;
import dev.runbook.engine.store.TrailExport;
import dev.runbook.fixtures.ChildJvm;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Several {@code runbook serve} child JVMs sharing one store ({@code --store}), each with its own
 * state directory and loopback port, started together; the scale-out storm test and {@code
 * bench/run.sh scale} drive them. Signals go to a server's JVM by its PID.
 */
final class ServeCluster implements AutoCloseable {

  static final String TOKEN = "scale-out-storm-token-0123456789abcdef";

  private final Path dir;
  private final List<ChildJvm> servers = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final List<Path> states = new ArrayList<>();

  private ServeCluster(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts {@code count} servers on {@code storeUrl} and waits (bounded) until each answers {@code
   * /healthz}.
   */
  static ServeCluster start(
      Path dir, String storeUrl, Path library, int count, int workers, Duration lease)
      throws IOException {
    ServeCluster cluster = new ServeCluster(dir);
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    try {
      for (int i = 0; i < count; i++) {
        int port = ServeChild.freeLoopbackPort();
        Path state = dir.resolve("state-" + i);
        cluster.states.add(state);
        cluster.urls.add("http://127.0.0.1:" + port);
        cluster.servers.add(
            ChildJvm.start(
                Main.class,
                dir,
                List.of(
                    "--state-dir",
                    state.toString(),
                    "--runbooks",
                    library.toString(),
                    "--store",
                    storeUrl,
                    "serve",
                    "--listen",
                    "127.0.0.1:" + port,
                    "--token-file",
                    tokenFile.toString(),
                    "--workers",
                    Integer.toString(workers),
                    "--instance",
                    "server-" + i,
                    "--lease",
                    lease.toSeconds() + "s")));
      }
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < count; i++) {
        ServeChild.awaitHealthy(
            http, cluster.urls.get(i), cluster.servers.get(i), Duration.ofSeconds(120));
      }
      return cluster;
    } catch (IOException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  int size() {
    return servers.size();
  }

  List<String> urls() {
    return List.copyOf(urls);
  }

  Path state(int i) {
    return states.get(i);
  }

  long pid(int i) {
    return servers.get(i).pid();
  }

  /** SIGKILL to server {@code i} (and the step processes it started), waiting until gone. */
  void kill(int i) throws InterruptedException {
    servers.get(i).kill();
  }

  /** SIGSTOP: the JVM freezes (its step processes, not stopped, go on), as in a long GC pause. */
  void freeze(int i) throws IOException, InterruptedException {
    signal(i, "-STOP");
  }

  /** SIGCONT after {@link #freeze}. */
  void thaw(int i) throws IOException, InterruptedException {
    signal(i, "-CONT");
  }

  private void signal(int i, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(pid(i))).start();
    if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill " + signal + " " + pid(i) + " failed");
    }
  }

  /** Each server's standard error, for a failure's story. */
  String logs() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < servers.size(); i++) {
      out.append("server-")
          .append(i)
          .append("'s log:\n")
          .append(ServeChild.log(servers.get(i).stderr()))
          .append('\n');
    }
    return out.toString();
  }

  @Override
  public void close() {
    for (ChildJvm server : servers) {
      try {
        // A frozen JVM dies of SIGKILL too; its step processes are killed with it.
        server.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (AssertionError e) {
        System.out.println("closing the cluster: " + e.getMessage());
      }
    }
  }

  Path dir() {
    return dir;
  }

  /** Opens the shared store through the engine's SPI, as {@code --store} does. */
  static Store openStore(String url) throws IOException {
    StoreUrl parsed = StoreUrl.parse(url);
    for (StoreProvider provider : ServiceLoader.load(StoreProvider.class)) {
      if (provider.scheme().equals(parsed.scheme())) {
        return provider.open(parsed);
      }
    }
    throw new AssertionError("no StoreProvider for " + parsed.scheme() + " on the class path");
  }

  /**
   * Writes every run trail the shared store holds into a new state directory, byte for byte ({@link
   * TrailExport}, what {@code audit export} does), so the directory verifier can check them.
   *
   * @return how many runs were exported
   */
  static int exportTrails(String url, Path state) throws IOException {
    try (Store store = openStore(url);
        DirectoryStore directory = new DirectoryStore(state)) {
      List<String> runs = store.trails().runIds();
      for (String run : runs) {
        TrailExport.copy(store.trails(), run, directory.trails());
      }
      return runs.size();
    }
  }
}
