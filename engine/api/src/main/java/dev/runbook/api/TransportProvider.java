package dev.runbook.api;

/** Opens {@link Transport}s of one kind ({@code local}, {@code ssh}). */
public interface TransportProvider {

  /** The kind this provider serves, matched against {@link Target#kind()}. */
  String kind();

  /**
   * Opens a transport to the target. May connect eagerly or lazily; either way a failure to reach
   * the target is a {@link TransportException} with the right kind.
   */
  Transport open(Target target) throws TransportException, InterruptedException;

  /**
   * Checks the provider's own settings before a run uses it, so that a mistake is reported at once
   * and plainly. Must not connect anywhere.
   *
   * @throws SettingException naming the setting that is wrong
   */
  default void checkSettings() {}
}
