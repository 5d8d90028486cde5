package dev.runbook.server.http;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The server's bearer token, compared in constant time; never logged, never echoed. */
public final class BearerToken {

  private final byte[] token;

  public BearerToken(String token) {
    if (token == null || token.strip().length() < 16) {
      throw new IllegalArgumentException("a bearer token must be at least 16 characters");
    }
    this.token = token.strip().getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the request carries {@code Authorization: Bearer TOKEN}. */
  public boolean admits(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  @Override
  public String toString() {
    return "****";
  }
}
