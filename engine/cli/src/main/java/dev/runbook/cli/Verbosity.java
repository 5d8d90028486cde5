package dev.runbook.cli;

/**
 * {@code --verbose}: diagnostics of the libraries the plugins use (JSch's SSH negotiation and
 * authentication, kubectl's requests) on standard error, and every step's end on the console. Off
 * by default: then the libraries say nothing (slf4j-nop) and plugins print only their steps.
 */
final class Verbosity {

  static final String PROPERTY = "runbook.verbose";

  private Verbosity() {}

  static boolean on() {
    return Boolean.getBoolean(PROPERTY);
  }

  static void enable() {
    System.setProperty(PROPERTY, "true");
  }
}
