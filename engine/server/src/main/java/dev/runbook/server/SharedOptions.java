package dev.runbook.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a server takes part in a shared store ({@code --store}); ignored without one.
 *
 * @param instance this server's name among those sharing the store: leases name it, and a takeover
 *     says whose run it took
 * @param lease how long an alert's or a lock's lease lasts unless renewed (renewed every third of
 *     it): another server takes an alert over this long after its server died
 */
public record SharedOptions(String instance, Duration lease) {

  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  public SharedOptions {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(lease, "lease");
    if (instance.isBlank() || instance.length() > 200) {
      throw new IllegalArgumentException("an instance name is 1 to 200 characters");
    }
    if (lease.toMillis() < 1000) {
      throw new IllegalArgumentException("a lease lasts at least 1 s, not " + lease);
    }
  }

  /** This host's name and this process's id, unique among servers running at once. */
  public static String defaultInstance() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + ":" + ProcessHandle.current().pid();
  }

  public static SharedOptions defaults() {
    return new SharedOptions(defaultInstance(), DEFAULT_LEASE);
  }
}
