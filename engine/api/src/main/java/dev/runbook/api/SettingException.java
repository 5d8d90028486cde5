package dev.runbook.api;

/**
 * A plugin's setting (an environment variable, a system property, a config file it reads) has a
 * value that cannot work: the message names the setting, the value and what it takes. The command
 * line reports it as a usage error before any step runs, never as an internal error.
 */
public class SettingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SettingException(String message) {
    super(message);
  }
}
