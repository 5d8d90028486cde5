package dev.runbook.engine.store;

import java.io.IOException;

/**
 * Opens a shared store named by a URL (found with {@link java.util.ServiceLoader}): a module on the
 * class path, such as runbook-store-postgresql, provides one for its scheme.
 */
public interface StoreProvider {

  /** The URL scheme this provider opens ({@code postgresql}). */
  String scheme();

  Store open(StoreUrl url) throws IOException;
}
