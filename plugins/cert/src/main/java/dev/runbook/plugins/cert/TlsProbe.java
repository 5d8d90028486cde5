package dev.runbook.plugins.cert;

import dev.runbook.api.FailureKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Fetches the certificate a TLS server presents, from the engine's machine, <b>for inspection
 * only</b>: every certificate is accepted and no host name is checked, because the point is to look
 * at a certificate that may well be expired or self-signed. Nothing is sent after the handshake.
 *
 * <p>The certificate is captured when the server presents it, so servers that then demand a client
 * certificate (mutual TLS, as Erlang distribution does) still yield theirs.
 */
final class TlsProbe {

  /** A parsed {@code host:port}; IPv6 addresses in brackets: {@code [::1]:8443}. */
  record Endpoint(String host, int port) {

    static Endpoint parse(String text) throws CertFailure {
      int colon = text.lastIndexOf(':');
      String host = colon < 0 ? "" : text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw new CertFailure(
            FailureKind.CONFIG,
            "endpoint '" + text + "' is not host:port (a port from 1 to 65535; IPv6 as [::1]:443)");
      }
      return new Endpoint(host, port);
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private TlsProbe() {}

  /**
   * The first certificate the server presents.
   *
   * @param timeout bounds the connect and the handshake, each
   * @throws InterruptedException when the thread was interrupted during the (bounded) handshake
   */
  static X509CertificateHolder fetch(Endpoint endpoint, Duration timeout)
      throws CertFailure, InterruptedException {
    AtomicReference<X509Certificate[]> presented = new AtomicReference<>();
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), millis);
      raw.setSoTimeout(millis);
      try (SSLSocket tls =
          (SSLSocket)
              acceptingContext(presented)
                  .getSocketFactory()
                  .createSocket(raw, endpoint.host(), endpoint.port(), false)) {
        tls.startHandshake();
      } catch (SSLException e) {
        if (presented.get() == null) {
          throw new CertFailure(
              FailureKind.CONFIG,
              "no TLS handshake with " + endpoint + " (is it a TLS port?): " + e.getMessage(),
              e);
        }
        // The server showed its certificate, then refused us (no client certificate): enough.
      }
    } catch (UnknownHostException e) {
      throw new CertFailure(FailureKind.CONNECT, "unknown host " + endpoint.host(), e);
    } catch (SocketTimeoutException e) {
      throw new CertFailure(
          FailureKind.TIMEOUT,
          "no answer from " + endpoint + " within " + timeout.toMillis() + " ms",
          e);
    } catch (ConnectException | NoRouteToHostException e) {
      throw new CertFailure(
          FailureKind.CONNECT, "cannot connect to " + endpoint + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CertFailure(
          FailureKind.CONNECTION_LOST,
          "connection to " + endpoint + " failed: " + e.getMessage(),
          e);
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("cancelled while fetching the certificate of " + endpoint);
    }
    X509Certificate[] chain = presented.get();
    if (chain == null || chain.length == 0) {
      throw new CertFailure(FailureKind.CONFIG, endpoint + " presented no certificate");
    }
    try {
      return new X509CertificateHolder(chain[0].getEncoded());
    } catch (CertificateEncodingException | IOException e) {
      throw new CertFailure(
          FailureKind.CONFIG, endpoint + " presented a certificate that cannot be parsed", e);
    }
  }

  private static SSLContext acceptingContext(AtomicReference<X509Certificate[]> presented)
      throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Capturing(presented)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("the JDK offers no TLS client: " + e.getMessage(), e);
    }
  }

  /**
   * Keeps the server's chain and accepts it. An X509<b>Extended</b>TrustManager, because the JDK
   * wraps a plain one in checks of its own (algorithm constraints) that could refuse the very
   * certificate we want to look at.
   */
  private static final class Capturing extends X509ExtendedTrustManager {
    private final AtomicReference<X509Certificate[]> presented;

    Capturing(AtomicReference<X509Certificate[]> presented) {
      this.presented = presented;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      presented.compareAndSet(null, chain.clone());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      presented.compareAndSet(null, chain.clone());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      presented.compareAndSet(null, chain.clone());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
