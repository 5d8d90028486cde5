package dev.runbook.engine.store;

import java.io.IOException;

/**
 * The store cannot be reached now (a shared database restarting, a network cut): nothing was
 * recorded, and trying again later may succeed. The server answers a sender 503 with {@code
 * Retry-After}, so the sender keeps the alert and sends it again.
 */
public class StoreUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
