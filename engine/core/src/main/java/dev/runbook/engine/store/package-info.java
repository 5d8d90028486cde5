/**
 * Where the engine keeps what must outlive a process: run trails and per-target locks (the alarm
 * server's alert queue is in {@code dev.runbook.server.queue}). The local state directory is the
 * embedded default ({@link DirectoryStore}); a shared database stands behind the same interfaces
 * for several servers, found through {@link StoreProvider} by the {@code --store} URL.
 */
package dev.runbook.engine.store;
