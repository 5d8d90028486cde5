package dev.runbook.api;

import java.util.Locale;

/**
 * The classes of failure the engine tells apart. Plugins map library exceptions to these by class
 * and cause, never by message text.
 */
public enum FailureKind {
  /** The runbook, a parameter or a plugin setting is wrong; retrying cannot help. */
  CONFIG(false),
  /** The remote side refused our credentials. */
  AUTH(false),
  /** A host key is unknown or changed; never retried, never trusted silently. */
  HOST_KEY(false),
  /** The connection could not be opened (refused, unreachable, DNS). */
  CONNECT(true),
  /** An established connection was lost in the middle of the work. */
  CONNECTION_LOST(true),
  /** The step ran past its timeout and was stopped. */
  TIMEOUT(true),
  /** The command ran and exited with a non-zero status. */
  NON_ZERO_EXIT(true),
  /** The object the step works on does not exist. */
  NOT_FOUND(false),
  /** The remote side understood us and said no (kubectl Forbidden, sudo refused). */
  FORBIDDEN(false),
  /** A step was visited more often than its {@code max_visits}: a loop did not converge. */
  LIMIT_REACHED(false),
  /** The run was cancelled while the step was working. */
  INTERRUPTED(false),
  /** The plugin itself failed in a way it did not classify. */
  PLUGIN_ERROR(false);

  private final boolean retryable;

  FailureKind(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The name used in runbooks, audit events and messages: {@code non-zero-exit}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The kind with this {@link #label()}, or null. */
  public static FailureKind fromLabel(String label) {
    for (FailureKind kind : values()) {
      if (kind.label().equals(label)) {
        return kind;
      }
    }
    return null;
  }
}
