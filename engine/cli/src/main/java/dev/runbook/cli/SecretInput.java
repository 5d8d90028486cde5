package dev.runbook.cli;

import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the command line finds the values of secret parameters, which never belong on it: {@code -p
 * NAME=@FILE} (the file's content; {@code @@} writes a literal {@code @}), {@code
 * RUNBOOK_SECRET_<NAME>} (or the parameter's own case), else a prompt at the controlling terminal
 * with echo off. Every other value is passed on as given; the engine checks them all.
 */
final class SecretInput {

  static final String PREFIX = "RUNBOOK_SECRET_";

  private final Function<String, String> environment;

  SecretInput(Function<String, String> environment) {
    this.environment = environment;
  }

  /**
   * The values to give the engine.
   *
   * @param prompt whether a missing required secret is asked for at the terminal (a real run)
   */
  Map<String, String> values(
      Runbook runbook, Map<String, String> given, boolean prompt, PrintWriter err) {
    Map<String, String> values = new LinkedHashMap<>(given);
    for (ParamSpec spec : runbook.params().values()) {
      if (!spec.secret()) {
        continue;
      }
      String value = given.get(spec.name());
      if (value == null) {
        fromEnvironmentOrPrompt(spec, prompt && spec.required())
            .ifPresent(v -> values.put(spec.name(), v));
      } else if (value.startsWith("@@")) {
        values.put(spec.name(), value.substring(1));
      } else if (value.startsWith("@")) {
        values.put(spec.name(), read(spec, value.substring(1)));
      } else {
        err.println(
            "warning: secret parameter "
                + spec.name()
                + " was given on the command line, where other users can see it (ps, shell"
                + " history); prefer -p "
                + spec.name()
                + "=@FILE or "
                + variable(spec));
      }
    }
    return values;
  }

  private Optional<String> fromEnvironmentOrPrompt(ParamSpec spec, boolean prompt) {
    String value = environment.apply(variable(spec));
    if (value == null) {
      value = environment.apply(PREFIX + spec.name());
    }
    if (value == null && prompt) {
      return SecretPrompt.ask(spec);
    }
    return Optional.ofNullable(value);
  }

  private static String read(ParamSpec spec, String file) {
    try {
      String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    } catch (IOException e) {
      throw new UserException(
          ExitCodes.USAGE,
          "parameter " + spec.name() + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  /** {@code RUNBOOK_SECRET_<NAME>}. */
  static String variable(ParamSpec spec) {
    return PREFIX + spec.name().toUpperCase(Locale.ROOT);
  }
}
