package dev.runbook.plugins.ssh;

import com.jcraft.jsch.Logger;

/**
 * JSch's own account of a connection (key exchange, host key, authentication methods tried) on
 * standard error, prefixed {@code ssh:}, when the engine runs with {@code --verbose}; nothing
 * otherwise. Never a secret: JSch logs algorithm names and outcomes, not keys or passphrases.
 */
final class VerboseLog implements Logger {

  static boolean on() {
    return Boolean.getBoolean("runbook.verbose");
  }

  @Override
  public boolean isEnabled(int level) {
    return level >= INFO;
  }

  @Override
  public void log(int level, String message) {
    System.err.println("ssh: " + message);
  }
}
