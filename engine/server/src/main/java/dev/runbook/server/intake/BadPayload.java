package dev.runbook.server.intake;

/** A request body that is not what the endpoint takes: answered 400 with this message. */
public final class BadPayload extends Exception {
  private static final long serialVersionUID = 1L;

  public BadPayload(String message) {
    super(message);
  }
}
