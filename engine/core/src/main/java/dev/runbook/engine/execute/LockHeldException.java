package dev.runbook.engine.execute;

/** Another run holds the lock this run needs. */
public final class LockHeldException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String key;
  private final String holder;

  public LockHeldException(String key, String holder) {
    super("lock '" + key + "' is held by " + holder);
    this.key = key;
    this.holder = holder;
  }

  public String key() {
    return key;
  }

  /** Who holds it, as the holder recorded: run id, operator, machine, pid, since. */
  public String holder() {
    return holder;
  }
}
