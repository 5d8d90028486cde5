package dev.runbook.plugins.cert;

import static dev.runbook.plugins.cert.StepResults.assertFailure;
import static dev.runbook.testkit.FakeActionContext.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.api.FailureKind;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.StepResult;
import dev.runbook.fixtures.TestCertificates;
import dev.runbook.fixtures.TestCertificates.Issued;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cert.inspect} with {@code endpoint}, against real servers on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InspectEndpointIT {

  // Half a second past a whole second: X.509 drops it, so daysLeft below is 9, never 10.
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(500);

  @TempDir Path dir;
  private final InspectAction action = new InspectAction();

  private Issued serverCertificate() {
    Issued ca = TestCertificates.ca("CN=erlclu CA").issue();
    return TestCertificates.leaf("CN=erlclu-node")
        .signedBy(ca)
        .sans("localhost", "127.0.0.1")
        .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)))
        .issue();
  }

  @Test
  void fetchesTheCertificateATlsServerPresents() throws Exception {
    Issued leaf = serverCertificate();
    try (TlsServer server = TlsServer.start(leaf, false)) {
      StepResult result =
          action.execute(
              request("endpoint", "127.0.0.1:" + server.port()), LocalContext.at(NOW, dir));

      assertThat(result.isSuccess()).as(result.toString()).isTrue();
      assertThat(result.data())
          .containsEntry("subject", "CN=erlclu-node")
          .containsEntry("issuer", "CN=erlclu CA")
          .containsEntry("daysLeft", 9L)
          .containsEntry("sans", List.of("localhost", "127.0.0.1"))
          .containsEntry("sha256", Certificates.sha256(leaf.holder()))
          .containsEntry("source", "tls://127.0.0.1:" + server.port());
    }
  }

  @Test
  void aServerThatDemandsAClientCertificateStillShowsItsOwn() throws Exception {
    // Erlang distribution over TLS refuses peers without a certificate, after showing its own.
    Issued leaf = serverCertificate();
    try (TlsServer server = TlsServer.start(leaf, true)) {
      StepResult result =
          action.execute(
              request("endpoint", "localhost:" + server.port()), LocalContext.at(NOW, dir));

      assertThat(result.data())
          .containsEntry("subject", "CN=erlclu-node")
          .containsEntry("sha256", Certificates.sha256(leaf.holder()));
    }
  }

  @Test
  void aClosedPortIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }

    assertFailure(
        action.execute(request("endpoint", "127.0.0.1:" + port), LocalContext.at(NOW, dir)),
        FailureKind.CONNECT,
        "cannot connect to 127.0.0.1:" + port + ": Connection refused");
  }

  @Test
  void aPortThatDoesNotSpeakTlsIsAConfigFailure() throws Exception {
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread http =
          new Thread(
              () -> {
                try (Socket client = plain.accept()) {
                  OutputStream out = client.getOutputStream();
                  out.write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException e) {
                  // the test's client went away: nothing to serve
                }
              });
      http.start();

      StepResult result =
          action.execute(
              request("endpoint", "127.0.0.1:" + plain.getLocalPort()), LocalContext.at(NOW, dir));

      assertThat(result.failure().orElseThrow().kind()).isEqualTo(FailureKind.CONFIG);
      assertThat(result.failure().orElseThrow().message())
          .startsWith(
              "no TLS handshake with 127.0.0.1:" + plain.getLocalPort() + " (is it a TLS port?): ");
      http.join(10_000);
    }
  }

  @Test
  void aSilentServerIsATimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      TlsProbe.Endpoint endpoint = new TlsProbe.Endpoint("127.0.0.1", silent.getLocalPort());

      // The kernel completes the connect from the backlog; nobody ever answers the hello.
      assertThatThrownBy(() -> TlsProbe.fetch(endpoint, Duration.ofMillis(300)))
          .isInstanceOf(CertFailure.class)
          .hasMessage("no answer from 127.0.0.1:" + silent.getLocalPort() + " within 300 ms")
          .satisfies(
              e -> assertThat(((CertFailure) e).toFailure().kind()).isEqualTo(FailureKind.TIMEOUT));
    }
  }

  @Test
  void anEndpointMustBeHostAndPort() throws Exception {
    assertFailure(
        action.execute(request("endpoint", "localhost"), LocalContext.at(NOW, dir)),
        FailureKind.CONFIG,
        "endpoint 'localhost' is not host:port (a port from 1 to 65535; IPv6 as [::1]:443)");
    assertThat(TlsProbe.Endpoint.parse("[::1]:8443")).isEqualTo(new TlsProbe.Endpoint("::1", 8443));
    assertThat(TlsProbe.Endpoint.parse("[::1]:8443").toString()).isEqualTo("[::1]:8443");
  }

  @Test
  void previewConnectsToNothing() {
    assertThat(action.preview(request("endpoint", "erlclu-node:4369")))
        .isEqualTo(
            new PlannedAction(
                "local",
                "fetch the certificate that erlclu-node:4369 presents over TLS, from the engine's"
                    + " machine, and inspect it (not trusted; nothing sent after the handshake)",
                false));
  }

  /**
   * A JDK TLS server on 127.0.0.1 that completes handshakes until closed. Every socket has a read
   * timeout, so a broken test cannot hang it.
   */
  private static final class TlsServer implements AutoCloseable {
    private final SSLServerSocket socket;
    private final Thread thread;

    private TlsServer(SSLServerSocket socket) {
      this.socket = socket;
      this.thread = new Thread(this::serve, "tls-test-server");
      thread.setDaemon(true);
      thread.start();
    }

    static TlsServer start(Issued certificate, boolean needClientAuth) throws Exception {
      char[] password = "test".toCharArray();
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(certificate.keyStore(password), password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      SSLServerSocket socket =
          (SSLServerSocket)
              context
                  .getServerSocketFactory()
                  .createServerSocket(0, 4, InetAddress.getLoopbackAddress());
      socket.setNeedClientAuth(needClientAuth);
      socket.setSoTimeout(10_000);
      return new TlsServer(socket);
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (SSLSocket client = (SSLSocket) socket.accept()) {
          client.setSoTimeout(10_000);
          client.startHandshake();
          client.getInputStream().read(); // until the client closes
        } catch (IOException e) {
          // a refused handshake or a closed server: both are part of the tests
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
