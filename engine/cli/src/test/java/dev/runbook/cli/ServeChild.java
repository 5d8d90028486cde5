package dev.runbook.cli;

import dev.runbook.fixtures.ChildJvm;
import dev.runbook.fixtures.Eventually;
import dev.runbook.fixtures.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the ITs that start {@code runbook serve} in a child JVM share: its port, health, log. */
final class ServeChild {

  private ServeChild() {}

  /** A loopback port nothing listens on now, for a server about to start. */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Waits (bounded) until the server answers {@code /healthz} with 200; a server that exited
   * meanwhile fails at once with its standard error.
   */
  static void awaitHealthy(HttpClient http, String url, ChildJvm server, Duration within) {
    Eventually.within(
        within,
        "runbook serve to answer /healthz",
        () -> {
          if (!Processes.isRunning(server.pid())) {
            throw new AssertionError("runbook serve exited: " + log(server.stderr()));
          }
          try {
            return http.send(
                        HttpRequest.newBuilder(URI.create(url + "/healthz"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  /** A server's output file as text, or empty when it cannot be read (for failure messages). */
  static String log(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
