package dev.runbook.server;

import dev.runbook.server.notify.Notifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@code runbook serve} runs.
 *
 * @param listen where it listens (default {@code 127.0.0.1:9095})
 * @param token the bearer token: needed for every request (but {@code /healthz}) on an address
 *     other than loopback, and for approvals and answers everywhere; null means one is made and
 *     kept in {@code STATE/serve/token} (loopback only)
 * @param tlsCertificate a PEM certificate chain to serve HTTPS with, or null for HTTP
 * @param tlsKey the PEM (PKCS#8) private key of that certificate, or null
 * @param maxBody the largest request body taken; larger ones get 413
 * @param queueLimit how many accepted alerts may wait for a worker before new ones get 503
 * @param workers how many runs go on at once
 * @param alertmanager the Alertmanager whose API {@code alarm.cleared} asks, or null
 * @param notifyUrl a webhook told of pauses and ends, or null
 * @param notifyFormat Slack-compatible JSON or plain text
 */
public record ServeOptions(
    InetSocketAddress listen,
    String token,
    Path tlsCertificate,
    Path tlsKey,
    int maxBody,
    int queueLimit,
    int workers,
    URI alertmanager,
    URI notifyUrl,
    Notifier.Format notifyFormat) {

  public static final int DEFAULT_PORT = 9095;
  public static final int DEFAULT_MAX_BODY = 1 << 20;
  public static final int DEFAULT_QUEUE_LIMIT = 10_000;
  public static final int DEFAULT_WORKERS = 4;

  public ServeOptions {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(notifyFormat, "notifyFormat");
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate and its key");
    }
  }

  public static ServeOptions defaults(InetSocketAddress listen) {
    return new ServeOptions(
        listen,
        null,
        null,
        null,
        DEFAULT_MAX_BODY,
        DEFAULT_QUEUE_LIMIT,
        DEFAULT_WORKERS,
        null,
        null,
        Notifier.Format.SLACK);
  }

  /** Whether the address is loopback only (127.0.0.0/8, ::1). */
  public boolean loopback() {
    return listen.getAddress() != null && listen.getAddress().isLoopbackAddress();
  }
}
