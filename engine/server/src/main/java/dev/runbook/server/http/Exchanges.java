package dev.runbook.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reading bodies with a cap and writing JSON answers on the JDK's HTTP server. */
public final class Exchanges {

  public static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private Exchanges() {}

  /** A body larger than the cap: answered 413 and the connection closed. */
  public static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /**
   * The body, at most {@code max} bytes. A declared length over the cap is refused before any of
   * the body is read; an undeclared one (chunked) is read up to the cap plus one byte.
   */
  public static byte[] body(HttpExchange exchange, int max) throws IOException, TooLarge {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > max) {
          throw new TooLarge(
              "the body is " + declared.strip() + " bytes; at most " + max + " are taken");
        }
      } catch (NumberFormatException e) {
        // The server itself refuses a malformed length before this handler runs.
      }
    }
    InputStream in = exchange.getRequestBody();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > max) {
        throw new TooLarge("the body is larger than " + max + " bytes, the most taken");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  public static void json(HttpExchange exchange, int status, Object value) throws IOException {
    byte[] body = JSON.writeValueAsBytes(value);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    send(exchange, status, body);
  }

  /** An error: {@code {"error": "…"}} with one line saying what is wrong. */
  public static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, Map.of("error", message));
  }

  public static void text(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    send(exchange, status, body);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  /** How much of a refused body is read and thrown away so that the answer reaches the sender. */
  static final long DRAIN_LIMIT = 64L << 20;

  /**
   * Answers an error without taking the body, then reads the rest of it (up to {@link
   * #DRAIN_LIMIT}) and throws it away: a server that closes a connection on a sender still sending
   * makes the sender's TCP stack discard the answer (a reset), so the sender would never learn why.
   * The connection is closed afterwards.
   */
  public static void refuseBody(HttpExchange exchange, int status, String message)
      throws IOException {
    byte[] body = JSON.writeValueAsBytes(Map.of("error", message));
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Connection", "close");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.getResponseBody().flush();
    InputStream in = exchange.getRequestBody();
    byte[] buffer = new byte[64 * 1024];
    long drained = 0;
    int n;
    while (drained < DRAIN_LIMIT && (n = in.read(buffer)) > 0) {
      drained += n;
    }
    exchange.close();
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
