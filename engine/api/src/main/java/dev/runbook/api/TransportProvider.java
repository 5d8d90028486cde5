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
}
