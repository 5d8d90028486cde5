package dev.runbook.engine.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * A shared store's address, as {@code --store} and {@code RUNBOOK_STORE} give it: {@code
 * postgresql://USER@HOST:PORT/DATABASE}. A password never goes in the URL (it would show in {@code
 * ps} and in shell history): the provider reads it from the environment.
 *
 * @param scheme {@code postgresql}
 * @param user the database user
 * @param host a host name or address
 * @param port the port
 * @param database the database name
 */
public record StoreUrl(String scheme, String user, String host, int port, String database) {

  public StoreUrl {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
  }

  /** The schemes this build knows how to name, for messages. */
  public static final String KNOWN = "postgresql://USER@HOST:PORT/DATABASE";

  /**
   * Reads a store URL.
   *
   * @throws IllegalArgumentException with one line saying what is wrong
   */
  public static StoreUrl parse(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--store '" + text + "' is not a URL (" + e.getReason() + "); expected " + KNOWN);
    }
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new IllegalArgumentException(
          "--store '"
              + text
              + "': unknown scheme "
              + (scheme == null ? "(none)" : "'" + scheme + "'")
              + "; expected "
              + KNOWN
              + " (leave --store out for the local state directory)");
    }
    if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
      throw new IllegalArgumentException(
          "--store: a password does not belong in the URL (ps would show it); set PGPASSWORD");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("--store '" + text + "' names no host; expected " + KNOWN);
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (path.isEmpty() || path.contains("/")) {
      throw new IllegalArgumentException(
          "--store '" + text + "' names no database (or more than one); expected " + KNOWN);
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException(
          "--store '" + text + "': no query or fragment is read; expected " + KNOWN);
    }
    return new StoreUrl(
        "postgresql",
        uri.getUserInfo(),
        uri.getHost(),
        uri.getPort() < 0 ? 5432 : uri.getPort(),
        path);
  }

  @Override
  public String toString() {
    return scheme + "://" + (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
  }
}
