package dev.runbook.cli;

import dev.runbook.engine.model.ParamSpec;
import java.io.IOException;
import java.util.Optional;

/**
 * Asks for a secret parameter at the controlling terminal, echo off, when a real run needs it and
 * neither {@code -p NAME=@FILE} nor {@code RUNBOOK_SECRET_<NAME>} gave it. Without a terminal there
 * is no prompt, and the run refuses to start for lack of the value.
 */
final class SecretPrompt {

  private SecretPrompt() {}

  static Optional<String> ask(ParamSpec spec) {
    Optional<Tty> opened = Tty.open();
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    Tty tty = opened.get();
    try {
      String value =
          tty.readSecret(
              spec.name()
                  + (spec.doc() == null ? "" : " (" + spec.doc() + ")")
                  + ", a secret (not shown, never recorded): ");
      return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      tty.close();
    }
  }
}
