package dev.runbook.engine.store;

import java.io.Closeable;

/** A place runs are kept: their trails and the locks runs take. */
public interface Store extends Closeable {

  TrailStore trails();

  LockStore locks();

  /** Where it is, for messages (never a password). */
  String describe();
}
